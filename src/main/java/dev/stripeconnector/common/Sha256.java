package dev.stripeconnector.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a text, for secrets that are random enough (API keys of 128 bits and more) to be stored
 * and looked up by their digest: a slow password hash buys nothing there and costs every request.
 */
public final class Sha256 {

    private Sha256() {
    }

    public static byte[] of(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The digest as 64 lower-case hex digits. */
    public static String hex(String value) {
        return HexFormat.of().formatHex(of(value));
    }
}
