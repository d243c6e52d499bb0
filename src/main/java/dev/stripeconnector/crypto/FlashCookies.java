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
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(cipher.encrypt(text).getBytes(StandardCharsets.US_ASCII));
        return cookie(name, path, secure, value, (int) lifetime.toSeconds());
    }

    /** The cookie that removes {@code name} at {@code path}. */
    public NewCookie clear(String name, String path, boolean secure) {
        return cookie(name, path, secure, "", 0);
    }

    /** The values a cookie carries; empty when there is none, or it cannot be opened or has expired. */
    public Map<String, String> open(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 4096) {
            return Map.of();
        }
        try {
            String text = cipher.decrypt(new String(Base64.getUrlDecoder().decode(cookie), StandardCharsets.US_ASCII));
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
