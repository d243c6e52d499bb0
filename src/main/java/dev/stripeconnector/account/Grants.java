package dev.stripeconnector.account;

import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.partner.PartnerId;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Stores the connection an OAuth callback's code exchange granted, in the caller's transaction, in plain
 * statements: the one change of an installation's connection that does not go through {@link AccountConnector}'s
 * methods, and the one place that states what a new connection sets. The callback is what a new pod meets first, and
 * there loading the entity (decrypting every secret of the row), checking it for changes and flushing it
 * before each statement that followed was half of a callback's CPU while the JVM still interprets it. Here
 * nothing is decrypted, the two new tokens are encrypted once, and the shown status before and after comes
 * from the view {@code installation_state}, as for every other write.
 */
@ApplicationScoped
public class Grants {

    /** The installation, locked until the transaction ends, with its status as shown and its connection before the change. */
    private static final String LOCK = """
            select v.status, v.connected_at from account_connector a
              join installation_state v on v.partner_id = a.partner_id and v.id = a.id
             where a.partner_id = ? and a.id = ? for update of a""";
    /**
     * A new connection replaces the installation's: its tokens, Stripe account and platform, connected now; what
     * refreshes and verifies recorded of the previous connection, and any error, belong to that connection and go.
     */
    private static final String CONNECT = """
            update account_connector
               set stripe_user_id = ?, livemode = ?, scope = ?, publishable_key = ?, access_token = ?, refresh_token = ?,
                   connected_client_id = ?, connected_platform_account = ?, connected_at = ?, status = 'CONNECTED',
                   tokens_refreshed_at = null, refresh_lease_owner = null, refresh_lease_until = null, refresh_failed_at = null,
                   refresh_failure = null, last_verified_at = null, last_error = null, last_error_description = null,
                   last_error_at = null, updated_at = ?, version = version + 1
             where partner_id = ? and id = ?""";
    private static final String STATUS = "select status from installation_state where partner_id = ? and id = ?";

    private final AgroalDataSource dataSource;
    private final SecretCipher cipher;

    public Grants(AgroalDataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** What Stripe granted: the connected account, its tokens, and the client ID and platform the exchange used. */
    public record Grant(String stripeUserId, boolean livemode, String scope, String publishableKey, Secret accessToken,
                        Secret refreshToken, String clientId, String platformAccountId) {
        @Override
        public String toString() {
            return "Grant[stripeUserId=" + stripeUserId + ", clientId=" + clientId + "]";
        }
    }

    /** A stored connection: the installation's status as shown before and after, and whether it replaced an earlier connection. */
    public record Stored(ConnectorStatus previousStatus, ConnectorStatus status, boolean reconnected) {
    }

    /**
     * Stores {@code grant} as {@code partner}'s installation's connection, made {@code now}, with the console's
     * settings share-locked until the transaction ends (a console change either sees this connection or happens
     * before it); with {@code learnPlatform}, records the grant's platform as its client ID's ({@link ClientPlatforms}).
     * Null when the installation is gone (nothing is written then).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored store(PartnerId partner, UUID installationId, Grant grant, boolean learnPlatform, Instant now) {
        // Encrypted before the transaction takes its connection and the row's lock.
        String accessToken = encrypted(grant.accessToken());
        String refreshToken = encrypted(grant.refreshToken());
        try (Connection connection = dataSource.getConnection()) {
            ConnectorStatus previousStatus;
            boolean reconnected;
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setString(1, partner.value());
                lock.setObject(2, installationId);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    previousStatus = ConnectorStatus.valueOf(row.getString("status"));
                    reconnected = row.getObject("connected_at") != null;
                }
            }
            ConnectorSettings.lockForShare(connection, partner);
            var at = now.atOffset(ZoneOffset.UTC);
            try (PreparedStatement connect = connection.prepareStatement(CONNECT)) {
                int p = 0;
                connect.setString(++p, grant.stripeUserId());
                connect.setBoolean(++p, grant.livemode());
                connect.setString(++p, grant.scope());
                connect.setString(++p, grant.publishableKey());
                connect.setString(++p, accessToken);
                connect.setString(++p, refreshToken);
                connect.setString(++p, grant.clientId());
                connect.setString(++p, grant.platformAccountId());
                connect.setObject(++p, at);
                connect.setObject(++p, at);
                connect.setString(++p, partner.value());
                connect.setObject(++p, installationId);
                connect.executeUpdate();
            }
            if (learnPlatform) {
                ClientPlatforms.record(connection, partner, grant.clientId(), grant.platformAccountId(), now);
            }
            try (PreparedStatement status = connection.prepareStatement(STATUS)) {
                status.setString(1, partner.value());
                status.setObject(2, installationId);
                try (ResultSet row = status.executeQuery()) {
                    row.next();
                    return new Stored(previousStatus, ConnectorStatus.valueOf(row.getString(1)), reconnected);
                }
            }
        } catch (SQLException e) {
            throw new StatementFailed("The connection could not be stored", e);
        }
    }

    private String encrypted(Secret secret) {
        return secret == null ? null : cipher.encrypt(secret.reveal());
    }
}
