package dev.stripeconnector.console;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The console's synchronizer token: every form carries {@code _csrf}, an HMAC of the signed-in
 * user's name under a key derived from the session encryption key, so every replica renders and
 * checks the same token and no other site can compute it. Checked together with the request's
 * origin ({@link BrowserGuard}).
 */
@ApplicationScoped
public class ConsoleCsrf {

    public static final String FIELD = "_csrf";

    private final byte[] key;

    public ConsoleCsrf(@ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey) {
        byte[] material;
        if (sessionKey.isPresent() && !sessionKey.get().isEmpty()) {
            material = sessionKey.get().getBytes(StandardCharsets.UTF_8);
        } else {
            // Without a configured key (never in prod: start-up refuses) sessions last one process.
            material = new byte[32];
            new SecureRandom().nextBytes(material);
        }
        this.key = hmac(material, "stripe-connector console csrf");
    }

    /** The token the user's forms carry. */
    public String token(String username) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, "csrf:" + username));
    }

    /** Whether a posted token is the user's, compared in constant time. */
    public boolean valid(String username, String posted) {
        if (username == null || posted == null || posted.isEmpty() || posted.length() > 100) {
            return false;
        }
        return MessageDigest.isEqual(token(username).getBytes(StandardCharsets.US_ASCII), posted.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] secret, String message) {
        return dev.stripeconnector.common.HmacSha256.of(secret, message.getBytes(StandardCharsets.UTF_8));
    }
}
