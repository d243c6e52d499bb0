package dev.stripeconnector.webhook;

import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.partner.PartnerId;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The signing secrets an endpoint's deliveries are verified with, newest first (several while one is
 * rolled). A partner's console platform: partner default's from {@code CONNECTOR_STRIPE_WEBHOOK_SECRETS},
 * every other partner's from its console setup; an account's own platform: the secret stored for that
 * partner's client ID. A rolled secret counts only until its stored expiry (a signature made with it
 * afterwards is refused like any wrong one). One primary-key read in autocommit; only the secrets of the
 * one endpoint are decrypted. A client ID unknown to the partner has none, so no signature can match it.
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final String CONSOLE = """
            select webhook_signing_secret,
                   case when previous_webhook_secret_expires_at > ? then previous_webhook_signing_secret end
            from connector_settings where partner_id = ?""";
    private static final String PLATFORM = """
            select signing_secret, case when previous_secret_expires_at > ? then previous_signing_secret end
            from platform_webhook where partner_id = ? and client_id = ?""";

    private final AgroalDataSource dataSource;
    private final SecretCipher cipher;
    private final SignatureVerifier verifier;
    private final ServiceClock clock;

    public WebhookSecrets(AgroalDataSource dataSource, SecretCipher cipher, SignatureVerifier verifier, ServiceClock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.cipher = cipher;
        this.verifier = verifier;
    }

    /** The secrets of {@code partner}'s {@code /webhooks/stripe}; empty when none is set. */
    public List<byte[]> console(PartnerId partner) {
        if (partner.isDefault()) {
            return verifier.configuredSecrets();
        }
        return read(CONSOLE, partner.value(), null);
    }

    /** The secrets of {@code partner}'s {@code /webhooks/stripe/{clientId}}; empty for a client ID it has none for. */
    public List<byte[]> platform(PartnerId partner, String clientId) {
        return read(PLATFORM, partner.value(), clientId);
    }

    private List<byte[]> read(String sql, String partner, String clientId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, clock.now().atOffset(ZoneOffset.UTC));
            query.setString(2, partner);
            if (clientId != null) {
                query.setString(3, clientId);
            }
            try (ResultSet row = query.executeQuery()) {
                List<byte[]> secrets = new ArrayList<>();
                if (row.next()) {
                    for (int column = 1; column <= 2; column++) {
                        String stored = row.getString(column);
                        if (stored != null) {
                            secrets.add(cipher.decrypt(stored).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
                return secrets;
            }
        } catch (SQLException e) {
            throw new StatementFailed("The webhook endpoint's signing secrets could not be read", e);
        }
    }
}
