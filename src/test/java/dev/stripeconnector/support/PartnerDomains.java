package dev.stripeconnector.support;

import io.restassured.http.ContentType;
import java.util.Map;

/**
 * Partners with their own service domains, for the tests of what arrives on a domain (setup links,
 * the callback, Stripe's webhooks). A partner is created and disabled by an operator through the API;
 * its console setup and installations are copies of partner default's rows (the same client ID, key
 * and Stripe connection), so two partners can hold the same ids and the same Stripe account.
 */
public final class PartnerDomains {

    private PartnerDomains() {
    }

    public static void disable(String id) {
        TestPartners.operator().contentType(ContentType.JSON).body(Map.of("status", "disabled")).patch("/api/v1/partners/" + id).then().statusCode(200);
    }

    /** Gives {@code partner} partner default's console platform: its client ID and (encrypted) secret key. */
    public static void copyConsoleSetup(String partner) {
        Api.update("""
                update connector_settings p set client_id = d.client_id, client_secret = d.client_secret,
                       platform_account_id = d.platform_account_id
                  from connector_settings d where d.partner_id = 'default' and p.partner_id = ?""", partner);
    }

    /**
     * Copies partner default's installation of {@code accountId} (with its connection, if any) into
     * {@code partner}, under the same account id; answers the copy's id.
     */
    public static String copyInstallation(String partner, String accountId) {
        String columns = Api.queryString("""
                select string_agg(column_name, ', ' order by ordinal_position) from information_schema.columns
                 where table_name = 'account_connector' and column_name not in ('id', 'partner_id')""");
        String id = java.util.UUID.randomUUID().toString();
        Api.update("insert into account_connector (id, partner_id, " + columns + ") select cast(? as uuid), ?, " + columns
                + " from account_connector where partner_id = 'default' and account_id = ?", id, partner, accountId);
        return id;
    }

    /** Moves partner default's latest authorization request of {@code accountId} to {@code partner}'s installation of it. */
    public static void moveLatestRequest(String accountId, String partner) {
        Api.update("""
                update authorization_request set partner_id = ?,
                       account_connector_id = (select id from account_connector where partner_id = ? and account_id = ?)
                 where id = (select r.id from authorization_request r join account_connector a on a.id = r.account_connector_id
                              where a.partner_id = 'default' and a.account_id = ? order by r.created_at desc limit 1)""",
                partner, partner, accountId, accountId);
    }
}
