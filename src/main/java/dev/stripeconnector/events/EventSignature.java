package dev.stripeconnector.events;

import dev.stripeconnector.common.HmacSha256;
import dev.stripeconnector.crypto.Secret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Signs a delivery in the manner of Stripe's webhooks:
 * {@code Stripe-Connector-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{body}">}, one
 * {@code v1} per active signing secret (two while a rotated secret overlaps), the key being the
 * secret's text ({@code scsec_…}) as UTF-8.
 */
public final class EventSignature {

    public static final String HEADER = "Stripe-Connector-Signature";
    public static final String EVENT_ID_HEADER = "Stripe-Connector-Event-Id";
    public static final String EVENT_TYPE_HEADER = "Stripe-Connector-Event-Type";
    /** Signing secrets start with this, so they are recognisable (and told apart from Stripe's whsec_…). */
    public static final String SECRET_PREFIX = "scsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventSignature() {
    }

    /** A new signing secret: 256 random bits. */
    public static Secret newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Secret.of(SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public static String header(long timestamp, byte[] body, List<Secret> secrets) {
        byte[] signed = concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        for (Secret secret : secrets) {
            header.append(",v1=").append(HexFormat.of().formatHex(HmacSha256.of(secret.reveal().getBytes(StandardCharsets.UTF_8), signed)));
        }
        return header.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
