package dev.stripeconnector.partner;

import java.util.List;

/**
 * Every table that holds a partner's data, each with the statement that deletes one partner's rows,
 * in an order the references between them allow (what refers to something goes before it). This is
 * the one place a partner's deletion lists what goes, and what its answer names: each table that gets a
 * {@code partner_id} gets its step here. The partner's own row goes last; as every partner table refers
 * to it without a cascade, a deletion that forgot a table fails instead of leaving orphans behind.
 */
public final class PartnerData {

    /** One table and the statement deleting a partner's rows from it (its one parameter: the partner id). */
    public record Step(String table, String delete) {
    }

    public static final List<Step> TABLES = List.of(
            new Step("event_delivery_attempt", "delete from event_delivery_attempt where partner_id = ?"),
            new Step("event_delivery", "delete from event_delivery where partner_id = ?"),
            new Step("event_subscription", "delete from event_subscription where partner_id = ?"),
            new Step("connector_event", "delete from connector_event where partner_id = ?"),
            new Step("event_stream", "delete from event_stream where partner_id = ?"),
            new Step("partner_feed", "delete from partner_feed where partner_id = ?"),
            new Step("webhook_event", "delete from webhook_event where partner_id = ?"),
            new Step("platform_webhook", "delete from platform_webhook where partner_id = ?"),
            new Step("client_platform", "delete from client_platform where partner_id = ?"),
            new Step("credential_read", "delete from credential_read where partner_id = ?"),
            // The partner's audit trail goes with it; its removal is recorded in the operators' trail (partner_id null).
            new Step("audit_record", "delete from audit_record where partner_id = ?"),
            new Step("authorization_request", "delete from authorization_request where partner_id = ?"),
            new Step("account_connector", "delete from account_connector where partner_id = ?"),
            new Step("sign_in_attempt", "delete from sign_in_attempt where partner_id = ?"),
            new Step("console_user", "delete from console_user where partner_id = ?"),
            new Step("connector_settings", "delete from connector_settings where partner_id = ?"),
            new Step("api_key", "delete from api_key where partner_id = ?"));

    private PartnerData() {
    }
}
