package dev.stripeconnector.connection;

import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.crypto.SecretCipher;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The credentials read, the service's hottest path: one statement reads the connected
 * installation's facts and its encrypted access token and records the read in the audit table,
 * in one round trip and one commit (the statement runs in autocommit, so the record is durable
 * before the answer leaves). No entity is loaded and only the access token is decrypted. When
 * the installation is not connected (or not installed), nothing is recorded and the caller takes
 * the slow path, which explains why.
 */
@ApplicationScoped
public class CredentialReads {

    private static final Logger LOG = Logger.getLogger(CredentialReads.class);
    private static final String READ_AND_RECORD = """
            with target as (
                select stripe_user_id, livemode, scope, publishable_key, access_token from account_connector
                 where account_id = ? and %s),
            audit as (
                insert into credential_read (id, account_id, api_key_name, read_at) select ?, ?, ?, ? from target)
            select stripe_user_id, livemode, scope, publishable_key, access_token from target""".formatted(AccountConnector.CONNECTED_SQL);

    private final AgroalDataSource dataSource;
    private final SecretCipher cipher;
    private final ServiceClock clock;

    public CredentialReads(AgroalDataSource dataSource, SecretCipher cipher, ServiceClock clock) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** The credentials of a connected installation, the read recorded; empty when it is not connected. */
    public Optional<Credentials> read(String accountId, String apiKeyName) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(READ_AND_RECORD)) {
            statement.setString(1, accountId);
            statement.setObject(2, UUID.randomUUID());
            statement.setString(3, accountId);
            statement.setString(4, apiKeyName);
            statement.setObject(5, clock.now().atOffset(ZoneOffset.UTC));
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Boolean livemode = row.getObject(2, Boolean.class);
                Credentials credentials = new Credentials(row.getString(1), livemode, row.getString(3), row.getString(4),
                        cipher.decrypt(row.getString(5)));
                LOG.debugf("Credentials of account %s read by API key '%s'", accountId, apiKeyName);
                return Optional.of(credentials);
            }
        } catch (SQLException e) {
            throw new StatementFailed("The credentials read failed (nothing was answered)", e);
        }
    }
}
