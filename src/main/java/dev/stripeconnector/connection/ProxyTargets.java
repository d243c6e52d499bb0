package dev.stripeconnector.connection;

import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.connection.ConnectionService.ProxyTarget;
import dev.stripeconnector.crypto.LastKey;
import dev.stripeconnector.crypto.SecretCipher;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The proxy's target read, on every proxied request: one statement (autocommit, no transaction, no
 * entity loaded) reads the connected account and the secret key the installation uses (its own,
 * else the console's, as {@link dev.stripeconnector.account.EffectiveCredentials} resolves it), and
 * only that key is decrypted. When there is no connection or no key, it answers nothing and the
 * caller takes the slow path ({@link ConnectionService#proxyTarget}), which explains why.
 */
@ApplicationScoped
public class ProxyTargets {

    /** The console's settings are one row, id 1 (the first migration creates it). */
    private static final String READ = """
            select a.stripe_user_id, coalesce(a.client_secret, s.client_secret)
              from (select stripe_user_id, client_secret from account_connector where account_id = ? and %s) a
              left join connector_settings s on s.id = 1""".formatted(AccountConnector.CONNECTED_SQL);

    private final AgroalDataSource dataSource;
    private final LastKey keys;

    public ProxyTargets(AgroalDataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.keys = new LastKey(cipher);
    }

    /** The connected account and the key to call Stripe with; empty when the installation cannot be used as it is. */
    public Optional<ProxyTarget> read(String accountId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setString(1, accountId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || row.getString(2) == null) {
                    return Optional.empty();
                }
                return Optional.of(new ProxyTarget(row.getString(1), keys.decrypt(row.getString(2))));
            }
        } catch (SQLException e) {
            throw new StatementFailed("The proxy's target read failed (nothing was sent to Stripe)", e);
        }
    }
}
