package dev.stripeconnector.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Page cursors of the lists ordered by a key: the last key of a page, base64url-encoded, so a caller
 * passes it back as it came and the next page starts after it.
 */
public final class Cursors {

    private static final int MAX_LENGTH = 200;

    private Cursors() {
    }

    public static String of(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key a cursor names: null when none was given, or when it is not one this service returned
     * (then {@code field}'s error is added to {@code fields}).
     */
    public static String keyOf(Fields fields, String field, String cursor, Predicate<String> validKey) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String key = null;
        if (cursor.length() <= MAX_LENGTH) {
            try {
                key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // Refused below.
            }
        }
        if (key == null || !validKey.test(key)) {
            fields.add(field, "is not a cursor this service returned");
            return null;
        }
        return key;
    }
}
