package dev.stripeconnector.stripe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long the connector waits for Stripe, and how it retries. */
@ConfigMapping(prefix = "connector.stripe")
public interface StripeConfig {

    /** The longest any of the connector's own calls to Stripe may take, retries included. */
    @WithDefault("PT20S")
    Duration callDeadline();

    /** The longest a proxied request may take, retries included. */
    @WithDefault("PT30S")
    Duration proxyDeadline();

    /** The longest {@code Retry-After} the connector waits out itself; a longer one is handed to the caller. */
    @WithDefault("PT2S")
    Duration maxRetryAfter();

    /**
     * Where the proxy sends file uploads ({@code POST /v1/files}) and downloads ({@code GET /v1/files/{id}/contents}):
     * Stripe's files host, which is not the API's
     * ({@code quarkus.rest-client.stripe-api.url}).
     */
    @WithDefault("https://files.stripe.com")
    java.net.URI uploadBase();

    /** The largest error answer (4xx, 5xx) the proxy reads whole; a successful answer is streamed, without a limit. */
    @WithDefault("8388608")
    int proxyMaxResponseBytes();

    /**
     * How many file uploads ({@code POST /v1/files}, either route) a pod holds at once; one more is refused with 429.
     * Each is held in memory whole (up to Stripe's 32 MB), so this bounds what uploads take of the heap.
     */
    @WithDefault("2")
    int uploadsInFlight();
}
