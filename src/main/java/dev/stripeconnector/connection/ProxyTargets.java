package dev.stripeconnector.connection;

import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.connection.ConnectionService.ProxyTarget;
import dev.stripeconnector.crypto.Secret;
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
    private final SecretCipher cipher;
    /**
     * The key decrypted last, by its stored form: the installations that use the console's key all
     * store the same value, and a stored value always decrypts to the same key, so it is decrypted once.
     */
    private volatile Decrypted last;

    private record Decrypted(String stored, Secret key) {
    }

    public ProxyTargets(AgroalDataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** The connected account and the key to call Stripe with; empty when the installation cannot be used as it is. */
    public Optional<ProxyTarget> read(String accountId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setString(1, accountId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || row.getString(2) == null) {
                    return Optional.empty();
                }
                return Optional.of(new ProxyTarget(row.getString(1), secretKey(row.getString(2))));
            }
        } catch (SQLException e) {
            throw new StatementFailed("The proxy's target read failed (nothing was sent to Stripe)", e);
        }
    }

    private Secret secretKey(String stored) {
        Decrypted known = last;
        if (known != null && known.stored().equals(stored)) {
            return known.key();
        }
        Secret key = Secret.of(cipher.decrypt(stored));
        last = new Decrypted(stored, key);
        return key;
    }
}
