package dev.stripeconnector.oauth;

import dev.stripeconnector.account.Installations;
import dev.stripeconnector.account.NotInstalled;
import dev.stripeconnector.common.StatementFailed;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Stores authorize's request in one autocommit statement, no transaction (what authorize reads before,
 * the installation and the console's choices, is one statement of {@link Installations}). No entity is
 * loaded. An installation removed between the read and the insert is answered as not installed.
 */
@ApplicationScoped
public class AuthorizationRequests {

    private static final String INSERT = """
            insert into authorization_request (id, partner_id, account_connector_id, state_hash, setup_token_hash, options, return_url,
                                               setup_expires_at, created_at, authorize_base_url, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final AgroalDataSource dataSource;

    public AuthorizationRequests(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores {@code request} (durably: autocommit) for the installation of {@code accountId}. */
    public void insert(AuthorizationRequest request, String accountId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setObject(1, request.id);
            statement.setString(2, request.partnerId);
            statement.setObject(3, request.accountConnectorId);
            statement.setString(4, request.stateHash);
            statement.setString(5, request.setupTokenHash);
            statement.setString(6, request.options);
            statement.setString(7, request.returnUrl);
            statement.setObject(8, utc(request.setupExpiresAt));
            statement.setObject(9, utc(request.createdAt));
            statement.setString(10, request.authorizeBaseUrl);
            statement.setObject(11, utc(request.expiresAt));
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
