package dev.stripeconnector.account;

import dev.stripeconnector.common.Source;
import dev.stripeconnector.connector.SettingsInUse;
import dev.stripeconnector.partner.PartnerId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The Stripe platform each of a partner's client IDs belongs to, as learnt from a successful connection (table
 * {@code client_platform}, V24): Stripe exchanges a code only with the key of the platform that owns the client ID,
 * so the key an exchange succeeded with names the client ID's platform. A key's own platform is recorded when the
 * key is saved (asked of Stripe then), so comparing the two costs no call to Stripe: the rule below refuses a client
 * ID and key of two platforms before anyone goes to Stripe, where the person would only find out after Stripe's
 * consent page. Nothing is refused where either platform is unknown (no connection through the client ID yet, or a
 * key that may not read its own account): the installation view's warning of values from two sources remains.
 * Statements run in the caller's transaction.
 */
public final class ClientPlatforms {

    private ClientPlatforms() {
    }

    /**
     * Records the platform a connection through {@code clientId} was made with; a later connection's platform wins, and
     * {@code recorded_at} is when the platform was learnt. Nothing is written (or locked) when the same platform is
     * recorded already, which is every connection but a client ID's first: an upsert would lock the client ID's one row
     * until the connection commits, so every connection through one client ID would wait for the one before it.
     */
    static void record(Connection connection, PartnerId partner, String clientId, String platformAccount, Instant now) throws SQLException {
        if (clientId == null || platformAccount == null) {
            return;
        }
        try (PreparedStatement record = connection.prepareStatement("""
                insert into client_platform (partner_id, client_id, platform_account, recorded_at)
                select ?, ?, ?, ?
                 where not exists (select 1 from client_platform where partner_id = ? and client_id = ? and platform_account = ?)
                on conflict (partner_id, client_id) do update set platform_account = excluded.platform_account,
                                                                  recorded_at = excluded.recorded_at""")) {
            int p = 0;
            for (Object value : new Object[] {partner.value(), clientId, platformAccount, now.atOffset(ZoneOffset.UTC),
                    partner.value(), clientId, platformAccount}) {
                record.setObject(++p, value);
            }
            record.executeUpdate();
        }
    }

    /** The platform recorded for {@code partner}'s {@code clientId}, or null when no connection through it told one yet. */
    public static String recorded(PartnerId partner, String clientId) {
        if (clientId == null) {
            return null;
        }
        List<?> rows = AccountConnector.getEntityManager()
                .createNativeQuery("select platform_account from client_platform where partner_id = ?1 and client_id = ?2")
                .setParameter(1, partner.value()).setParameter(2, clientId).getResultList();
        return rows.isEmpty() ? null : (String) rows.get(0);
    }

    /**
     * Refuses a client ID and a secret key that Stripe has shown to be of two platforms: {@code keyPlatform} the
     * key's own platform account (recorded when it was saved), {@code clientPlatform} the one recorded for the
     * client ID's earlier connections; either unknown (null) refuses nothing. The detail names both platforms,
     * where each value comes from and what to fix.
     */
    public static void refuseMismatch(String clientId, Source clientIdSource, String keyPlatform, Source keySource, String clientPlatform) {
        if (clientId == null || !differ(keyPlatform, clientPlatform)) {
            return;
        }
        throw SettingsInUse.otherPlatform("the secret key (" + from(keySource) + ") belongs to the Stripe platform " + keyPlatform
                + ", but the client ID " + clientId + " (" + from(clientIdSource) + ") belongs to the platform " + clientPlatform
                + " (its earlier connections were made there), so Stripe would refuse the connection after the person went through"
                + " Stripe. " + fix(clientId, clientIdSource, keySource, clientPlatform));
    }

    /** Whether a key's platform and a client ID's are both known, and two. */
    public static boolean differ(String keyPlatform, String clientPlatform) {
        return keyPlatform != null && clientPlatform != null && !keyPlatform.equals(clientPlatform);
    }

    private static String fix(String clientId, Source clientIdSource, Source keySource, String clientPlatform) {
        String key = "enter the secret key of the platform " + clientPlatform;
        if (clientIdSource == keySource) {
            return "Fix the " + (keySource == Source.ACCOUNT ? "account's" : "console's") + " values: " + key
                    + ", or the client ID of the key's own platform";
        }
        return clientIdSource == Source.CONSOLE
                ? "Fix the account's values: " + key + " (the platform of client ID " + clientId
                + "), or enter the account's own client ID as well"
                : "Fix the account's values: " + key + " as the account's own secret key, or clear the account's client ID"
                + " to use the console's";
    }

    private static String from(Source source) {
        return "from the " + (source == null ? "console" : source.json());
    }
}
