package dev.stripeconnector.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Inbound Stripe webhooks. */
@ConfigMapping(prefix = "connector")
public interface WebhookConfig {

    /** Signing secrets of the webhook endpoint ({@code whsec_…}); several may be active while one is rolled. */
    Optional<List<String>> stripeWebhookSecrets();

    /** How old a signature's timestamp may be. */
    @WithDefault("PT5M")
    Duration stripeWebhookTolerance();

    /** How long a partner's rolled webhook signing secret stays valid after the change (PT0S to P7D). */
    @WithDefault("PT24H")
    Duration stripeWebhookPreviousSecretValidity();

    /** The longest {@link #stripeWebhookPreviousSecretValidity()} start-up accepts. */
    Duration LONGEST_PREVIOUS_SECRET_VALIDITY = Duration.ofDays(7);
}
