package dev.stripeconnector.crypto;

import dev.stripeconnector.common.StartupRefusal;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of secrets at rest, under named keys so that a key can be rotated:
 * the first key of {@code CONNECTOR_ENCRYPTION_KEYS} encrypts, every listed key decrypts.
 *
 * <p>Stored form: {@code v1:{keyId}:{base64(iv || ciphertext || tag)}}. The version and key id
 * are authenticated as associated data, so a ciphertext cannot be relabelled to another key.
 */
@Startup(20)
@ApplicationScoped
public class SecretCipher {

    private static final String FORMAT = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final EncryptionConfig config;
    private final SecureRandom random = new SecureRandom();
    private Map<String, SecretKey> keys;
    private String primaryKeyId;

    public SecretCipher(EncryptionConfig config) {
        this.config = config;
    }

    @PostConstruct
    void init() {
        keys = parseKeys(config.encryptionKeys().orElse(""));
        primaryKeyId = keys.keySet().iterator().next();
    }

    /** A cipher outside the container, for tools and tests that write what the service reads (the benchmark's seeder). */
    public static SecretCipher of(String spec) {
        SecretCipher cipher = new SecretCipher(() -> Optional.of(spec));
        cipher.init();
        return cipher;
    }

    /** Refuses (a {@link StartupRefusal}) a key list that is missing or malformed. */
    public static void check(String spec) {
        parseKeys(spec);
    }

    /** Parses {@code keyId:base64key,…}; refuses anything that is not a list of distinct 256-bit keys. */
    /** The key ids of a {@code CONNECTOR_ENCRYPTION_KEYS} value, the primary one first (the value must be valid). */
    public static java.util.List<String> keyIdsOf(String spec) {
        return java.util.List.copyOf(parseKeys(spec).keySet());
    }

    static Map<String, SecretKey> parseKeys(String spec) {
        String variable = "CONNECTOR_ENCRYPTION_KEYS";
        if (spec.isBlank()) {
            throw new StartupRefusal(variable + " is missing: set it to keyId:base64key (a 32-byte key, e.g. from `openssl rand -base64 32`)");
        }
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new StartupRefusal(variable + " is malformed: each entry must be keyId:base64key");
            }
            String id = trimmed.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw new StartupRefusal(variable + " is malformed: key ids are 1-32 letters, digits, '_' or '-'");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new StartupRefusal(variable + " is malformed: the key of '" + id + "' is not base64");
            }
            if (material.length != 32) {
                throw new StartupRefusal(variable + " is malformed: the key of '" + id + "' must be 32 bytes (AES-256), not " + material.length);
            }
            if (parsed.putIfAbsent(id, new SecretKeySpec(material, "AES")) != null) {
                throw new StartupRefusal(variable + " is malformed: key id '" + id + "' is listed twice");
            }
        }
        return parsed;
    }

    public String encrypt(String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(primaryKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(primaryKeyId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return FORMAT + ":" + primaryKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption is unavailable", e);
        }
    }

    public String decrypt(String stored) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !FORMAT.equals(parts[0])) {
            throw new SecretDecryptionException("Stored secret has an unknown format");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretDecryptionException("Stored secret was encrypted under key id '" + parts[1]
                    + "', which CONNECTOR_ENCRYPTION_KEYS no longer lists");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException("Stored secret is not valid base64");
        }
        if (in.length < IV_BYTES + TAG_BITS / 8) {
            throw new SecretDecryptionException("Stored secret is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(aad(parts[1]));
            byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretDecryptionException("Stored secret failed authentication: it was altered or belongs to another key");
        } catch (GeneralSecurityException e) {
            throw new SecretDecryptionException("Stored secret could not be decrypted");
        }
    }

    /** Every configured key id, the primary one first. */
    public java.util.List<String> keyIds() {
        return java.util.List.copyOf(keys.keySet());
    }

    /** The key id a stored value names ({@code v1:keyId:…}), or null for a value of an unknown format. */
    public static String keyIdOf(String stored) {
        String[] parts = stored.split(":", 3);
        return parts.length == 3 && FORMAT.equals(parts[0]) ? parts[1] : null;
    }

    /** The key id new values are encrypted under. */
    public String primaryKeyId() {
        return primaryKeyId;
    }

    private static byte[] aad(String keyId) {
        return ("stripe-connector:" + FORMAT + ":" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
