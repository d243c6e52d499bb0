package dev.stripeconnector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Stripe-Signature check at the edges of its tolerance, on a fixed clock. */
class SignatureVerifierTest {

    static final long NOW = 1_764_331_200L;
    static final byte[] SECRET = "whsec_TestSecret0001".getBytes(StandardCharsets.UTF_8);
    static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"charge.succeeded\"}".getBytes(StandardCharsets.UTF_8);

    final SignatureVerifier verifier = new SignatureVerifier(new WebhookConfig() {
        @Override
        public Optional<List<String>> stripeWebhookSecrets() {
            return Optional.empty();
        }

        @Override
        public Duration stripeWebhookTolerance() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration stripeWebhookPreviousSecretValidity() {
            return Duration.ofHours(24);
        }
    }, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    static String header(long timestamp) {
        byte[] signed = (timestamp + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(SignatureVerifier.hmac(SECRET, signed));
    }

    @Test
    void aSignatureIsAcceptedWithinTheToleranceOnlyHoweverFarItsTimestampIs() {
        assertThat(verifier.problemWith(header(NOW - 300), BODY, List.of(SECRET))).isNull();
        assertThat(verifier.problemWith(header(NOW + 300), BODY, List.of(SECRET))).isNull();
        assertThat(verifier.problemWith(header(NOW - 301), BODY, List.of(SECRET))).contains("tolerance");
        assertThat(verifier.problemWith(header(NOW + 301), BODY, List.of(SECRET))).contains("tolerance");
        // Timestamps whose distance from now does not fit in a long: as stale as any other, never taken for "now".
        for (long far : new long[] {NOW + Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, NOW - Long.MAX_VALUE}) {
            assertThat(verifier.problemWith(header(far), BODY, List.of(SECRET))).as("t=%d", far).contains("tolerance");
        }
    }
}
