package dev.stripeconnector.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Setup tokens and states: 256 bits from a secure random source, stored only as SHA-256 hashes
 * (a slow password hash buys nothing for values with this much entropy, and costs every request).
 */
final class OpaqueTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OpaqueTokens() {
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The state that goes with a setup token. Derived one-way, so the setup link can rebuild the
     * authorize URL while neither value is stored, and the state does not reveal the setup token.
     */
    static String stateFor(String setupToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest("state:" + setupToken));
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(digest(token));
    }

    /** Whether a value can be a token this service issued (keeps junk away from the database). */
    static boolean plausible(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(c ->
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
