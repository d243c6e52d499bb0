package dev.stripeconnector.account;

import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.crypto.LastKey;
import dev.stripeconnector.crypto.SecretCipher;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The installation view ({@code GET /api/v1/accounts/{id}/connector}) in one statement: the
 * installation, the console's client ID and key, and whether its own platform's webhook secret is
 * set, read together (autocommit; inside a caller's transaction, in it). No entity is loaded and only
 * the secret key in effect is decrypted (for its last four characters and mode); tokens are never
 * read. The view itself is built as for every other answer ({@link #of}).
 */
@ApplicationScoped
public class InstallationViews {

    /** The console's settings are one row, id 1 (the first migration creates it). */
    private static final String READ = """
            select a.id, a.account_id, a.name, a.client_id, a.client_secret, a.platform_account_id, a.status,
                   a.stripe_user_id, a.connected_client_id, a.livemode, a.scope, a.connected_at,
                   a.last_error, a.last_error_description, a.last_error_at, a.tokens_refreshed_at,
                   a.last_verified_at, a.account_business_name, a.account_email, a.account_country,
                   a.charges_enabled, a.payouts_enabled, a.created_at, a.updated_at,
                   s.client_id, s.client_secret, s.platform_account_id,
                   exists (select 1 from platform_webhook w where w.client_id = a.client_id)
              from account_connector a left join connector_settings s on s.id = 1
             where a.account_id = ?""";

    private final AgroalDataSource dataSource;
    private final PublicOrigins origins;
    private final LastKey keys;

    public InstallationViews(AgroalDataSource dataSource, PublicOrigins origins, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.origins = origins;
        this.keys = new LastKey(cipher);
    }

    /** The view of an installation and the console's settings as they are. */
    public AccountConnectorView of(AccountConnector installation, ConnectorSettings console, boolean webhookSecretSet) {
        return AccountConnectorView.of(installation, EffectiveCredentials.resolve(installation, console),
                origins.primary().url("/webhooks/stripe"), webhookSecretSet);
    }

    /** The view of the installation of {@code accountId}; empty when the account has none. */
    public Optional<AccountConnectorView> read(String accountId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setString(1, accountId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                // Detached values for the view only: never persisted, never attached to a session.
                AccountConnector installation = new AccountConnector();
                installation.id = row.getObject(1, UUID.class);
                installation.accountId = row.getString(2);
                installation.name = row.getString(3);
                installation.clientId = row.getString(4);
                String ownKey = row.getString(5);
                installation.clientSecret = ownKey == null ? null : keys.decrypt(ownKey);
                installation.platformAccountId = row.getString(6);
                installation.status = ConnectorStatus.valueOf(row.getString(7));
                installation.stripeUserId = row.getString(8);
                installation.connectedClientId = row.getString(9);
                installation.livemode = row.getObject(10, Boolean.class);
                installation.scope = row.getString(11);
                installation.connectedAt = instant(row, 12);
                installation.lastError = row.getString(13);
                installation.lastErrorDescription = row.getString(14);
                installation.lastErrorAt = instant(row, 15);
                installation.tokensRefreshedAt = instant(row, 16);
                installation.lastVerifiedAt = instant(row, 17);
                installation.accountBusinessName = row.getString(18);
                installation.accountEmail = row.getString(19);
                installation.accountCountry = row.getString(20);
                installation.chargesEnabled = row.getObject(21, Boolean.class);
                installation.payoutsEnabled = row.getObject(22, Boolean.class);
                installation.createdAt = instant(row, 23);
                installation.updatedAt = instant(row, 24);
                ConnectorSettings console = new ConnectorSettings();
                console.clientId = row.getString(25);
                String consoleKey = row.getString(26);
                // The console's key counts only for an installation without its own (EffectiveCredentials).
                console.clientSecret = ownKey == null && consoleKey != null ? keys.decrypt(consoleKey) : null;
                console.platformAccountId = row.getString(27);
                return Optional.of(of(installation, console, installation.clientId != null && row.getBoolean(28)));
            }
        } catch (SQLException e) {
            throw new StatementFailed("The installation view's read failed", e);
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
