package dev.stripeconnector.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.ServiceClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What a form's answer carries over its redirect (POST, then 303 to a GET): a few values sealed with the
 * service's encryption key into a short-lived cookie scoped to the page that shows them. So reloading
 * that page, or going Back to it, shows them again without posting anything, and nothing of them is in a
 * URL (which access logs and a Referer would carry); the browser can neither read nor alter them. A cookie
 * that cannot be opened (altered, expired, sealed under a key no longer listed) counts as absent.
 */
@ApplicationScoped
public class FlashCookies {

    private static final String EXPIRES = "_exp";
    /**
     * The longest value a flash cookie may have: browsers keep a cookie of up to 4096 bytes with its name and attributes,
     * so a longer value would be dropped by the browser and what it carried lost; a caller whose values do not fit
     * ({@link #fits}) shows them some other way.
     */
    public static final int MAX_VALUE = 4000;

    private final SecretCipher cipher;
    private final ObjectMapper json;
    private final ServiceClock clock;

    public FlashCookies(SecretCipher cipher, ObjectMapper json, ServiceClock clock) {
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
    }

    /** A cookie for the page at {@code path} carrying {@code values} for {@code lifetime}. */
    public NewCookie seal(String name, String path, boolean secure, Map<String, String> values, Duration lifetime) {
        Map<String, String> sealed = new HashMap<>(values);
        sealed.put(EXPIRES, String.valueOf(clock.now().plus(lifetime).getEpochSecond()));
        String text;
        try {
            text = json.writeValueAsString(sealed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A flash could not be written", e);
        }
        return cookie(name, path, secure, cookieSafe(cipher.encrypt(text)), (int) lifetime.toSeconds());
    }

    /** Whether the browser keeps {@code cookie} ({@link #MAX_VALUE}). */
    public static boolean fits(NewCookie cookie) {
        return cookie.getValue().length() <= MAX_VALUE;
    }

    /**
     * The cipher's {@code v1:keyId:base64} as a cookie value: the separators as '.', the base64 URL-safe, so the sealed
     * bytes are base64-encoded once (encoding the whole text again would make the cookie a third longer).
     */
    private static String cookieSafe(String sealed) {
        String[] parts = sealed.split(":", 3);
        byte[] bytes = Base64.getDecoder().decode(parts[2]);
        return parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The cipher's text of a cookie value: the form {@link #cookieSafe} makes, or the whole text base64-encoded (earlier versions). */
    private static String sealedText(String cookie) {
        String[] parts = cookie.split("\\.", 3);
        if (parts.length != 3) {
            return new String(Base64.getUrlDecoder().decode(cookie), StandardCharsets.US_ASCII);
        }
        return parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(parts[2]));
    }

    /** The cookie that removes {@code name} at {@code path}. */
    public NewCookie clear(String name, String path, boolean secure) {
        return cookie(name, path, secure, "", 0);
    }

    /** The values a cookie carries; empty when there is none, or it cannot be opened or has expired. */
    public Map<String, String> open(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 4096) {
            // Longer than a browser keeps: not one this service sealed.
            return Map.of();
        }
        try {
            String text = cipher.decrypt(sealedText(cookie));
            Map<String, String> values = new HashMap<>(json.readValue(text, new TypeReference<Map<String, String>>() { }));
            String expires = values.remove(EXPIRES);
            if (expires == null || Long.parseLong(expires) <= clock.now().getEpochSecond()) {
                return Map.of();
            }
            return values;
        } catch (IllegalArgumentException | SecretDecryptionException | JsonProcessingException e) {
            return Map.of();
        }
    }

    private static NewCookie cookie(String name, String path, boolean secure, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path(path).maxAge(maxAge).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }
}
