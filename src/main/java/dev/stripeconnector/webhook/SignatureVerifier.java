package dev.stripeconnector.webhook;

import dev.stripeconnector.common.StartupRefusal;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Verifies {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]} over the raw body: HMAC-SHA256 of
 * {@code "{t}.{body}"} under each active secret, compared in constant time with every
 * {@code v1}, and a timestamp within the tolerance.
 */
@Startup(40)
@ApplicationScoped
public class SignatureVerifier {

    private static final Logger LOG = Logger.getLogger(SignatureVerifier.class);

    private final WebhookConfig config;
    private final Clock clock;
    private List<byte[]> secrets;

    @jakarta.inject.Inject
    public SignatureVerifier(WebhookConfig config) {
        this(config, Clock.systemUTC());
    }

    SignatureVerifier(WebhookConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        secrets = parseSecrets(config.stripeWebhookSecrets().orElse(List.of()));
        if (secrets.isEmpty()) {
            LOG.warn("CONNECTOR_STRIPE_WEBHOOK_SECRETS is not set: Stripe webhooks to partner default's console endpoint will be refused");
        }
    }

    /** The signing secrets of {@code CONNECTOR_STRIPE_WEBHOOK_SECRETS}; refuses anything that is not a {@code whsec_…} value. */
    public static List<byte[]> parseSecrets(List<String> configured) {
        List<byte[]> parsed = new ArrayList<>();
        for (String secret : configured) {
            String trimmed = secret.trim();
            if (!dev.stripeconnector.stripe.StripeKeys.isWebhookSecret(trimmed)) {
                throw new StartupRefusal("CONNECTOR_STRIPE_WEBHOOK_SECRETS is malformed: each secret is a 'whsec_…' value from the Stripe dashboard");
            }
            parsed.add(trimmed.getBytes(StandardCharsets.UTF_8));
        }
        return parsed;
    }

    /** The signing secrets of partner default's console platform ({@code CONNECTOR_STRIPE_WEBHOOK_SECRETS}). */
    List<byte[]> configuredSecrets() {
        return secrets;
    }

    /** Why the signature is refused under {@code secrets}, or null when one of its v1 signatures matches one in time. */
    public String problemWith(String header, byte[] body, List<byte[]> secrets) {
        if (header == null || header.isBlank()) {
            return "the Stripe-Signature header is missing";
        }
        if (header.length() > 4096) {
            return "the Stripe-Signature header is too long";
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return "the Stripe-Signature header is malformed";
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return "the Stripe-Signature timestamp is malformed";
                }
            } else if (key.equals("v1")) {
                try {
                    signatures.add(HexFormat.of().parseHex(value));
                } catch (IllegalArgumentException e) {
                    return "a Stripe-Signature v1 signature is not hexadecimal";
                }
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return "the Stripe-Signature header needs a timestamp (t=) and a v1 signature";
        }
        long now = clock.instant().getEpochSecond();
        Duration tolerance = config.stripeWebhookTolerance();
        // Compared as a window around now: "now - t" of a timestamp near Long.MIN_VALUE would wrap round and pass for fresh.
        if (timestamp < now - tolerance.toSeconds() || timestamp > now + tolerance.toSeconds()) {
            return "the Stripe-Signature timestamp is outside the tolerance of " + tolerance.toSeconds() + " s";
        }
        byte[] signedPayload = concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        boolean match = false;
        for (byte[] secret : secrets) {
            byte[] expected = hmac(secret, signedPayload);
            for (byte[] signature : signatures) {
                // Every comparison runs, whatever the outcome, in constant time.
                match |= MessageDigest.isEqual(expected, signature);
            }
        }
        return match ? null : "no v1 signature matches an active webhook secret";
    }

    static byte[] hmac(byte[] secret, byte[] payload) {
        return dev.stripeconnector.common.HmacSha256.of(secret, payload);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
