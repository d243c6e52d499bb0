package dev.stripeconnector.oauth;

import dev.stripeconnector.account.EffectiveCredentials;
import dev.stripeconnector.account.NotInstalled;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The database side of authorize, in two autocommit statements and no transaction: one reads what
 * the authorize URL needs (the installation, its client ID or else the console's, whether a secret
 * key is set, own or the console's, as {@link EffectiveCredentials} resolves them, and the console's
 * scope and account type), one stores the new request. No entity is loaded and no secret decrypted.
 * An installation removed between the two is answered as not installed.
 */
@ApplicationScoped
public class AuthorizationRequests {

    /** The console's settings are one row, id 1 (the first migration creates it). */
    private static final String READ = """
            select a.id, coalesce(a.client_id, s.client_id), a.client_secret is not null or s.client_secret is not null,
                   s.default_scope, s.account_type
              from connector_settings s left join account_connector a on a.account_id = ?
             where s.id = 1""";
    private static final String INSERT = """
            insert into authorization_request (id, account_connector_id, state_hash, setup_token_hash, options, return_url,
                                               setup_expires_at, created_at, authorize_base_url, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final AgroalDataSource dataSource;

    public AuthorizationRequests(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What authorize needs to know about an account: its installation ({@code installationId} null when
     * it has none), the client ID it uses, whether it has a secret key, and the console's scope and
     * account type (their defaults when the console chose none).
     */
    public record Target(UUID installationId, String clientId, boolean hasClientSecret, Scope consoleScope,
                         AccountType consoleAccountType) {

        public boolean complete() {
            return clientId != null && hasClientSecret;
        }

        public List<String> missing() {
            return EffectiveCredentials.missing(clientId != null, hasClientSecret);
        }
    }

    public Target read(String accountId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setString(1, accountId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("The console's settings row (id 1) is missing");
                }
                String scope = row.getString(4);
                String accountType = row.getString(5);
                return new Target(row.getObject(1, UUID.class), row.getString(2), row.getBoolean(3),
                        ConnectorSettings.effectiveScope(scope == null ? null : Scope.valueOf(scope)),
                        ConnectorSettings.effectiveAccountType(accountType == null ? null : AccountType.valueOf(accountType)));
            }
        } catch (SQLException e) {
            throw new StatementFailed("The authorize read failed (nothing was stored)", e);
        }
    }

    /** Stores {@code request} (durably: autocommit) for the installation of {@code accountId}. */
    public void insert(AuthorizationRequest request, String accountId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setObject(1, request.id);
            statement.setObject(2, request.accountConnectorId);
            statement.setString(3, request.stateHash);
            statement.setString(4, request.setupTokenHash);
            statement.setString(5, request.options);
            statement.setString(6, request.returnUrl);
            statement.setObject(7, utc(request.setupExpiresAt));
            statement.setObject(8, utc(request.createdAt));
            statement.setString(9, request.authorizeBaseUrl);
            statement.setObject(10, utc(request.expiresAt));
            statement.executeUpdate();
        } catch (SQLException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                throw new NotInstalled(accountId);
            }
            throw new StatementFailed("The authorization request could not be stored (no link was answered)", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
