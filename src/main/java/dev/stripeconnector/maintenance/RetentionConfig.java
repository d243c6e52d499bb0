package dev.stripeconnector.maintenance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long each log-like table keeps its rows; the purge runs on every replica's schedule, one replica at a time. */
@ConfigMapping(prefix = "connector.retention")
public interface RetentionConfig {

    /** Audit records of credential reads. */
    @WithDefault("P90D")
    Duration credentialReads();

    /**
     * The audit trail (who changed what), counted from the change: over a year by default, so a yearly review (PCI DSS asks
     * for a year of audit history) still finds every change of the year before it.
     */
    @WithDefault("P400D")
    Duration audit();

    /** Handled Stripe webhook events, kept to drop Stripe's redeliveries (Stripe retries for up to 3 days): at least P3D. */
    @WithDefault("P7D")
    Duration webhookEvents();

    /** Authorization requests (setup links and OAuth states), counted from the moment both expired. */
    @WithDefault("P1D")
    Duration authorizationRequests();

    /** Failed sign-in counts, counted from the end of their lock or the start of their window. */
    @WithDefault("P1D")
    Duration signInAttempts();

    /**
     * Outbound events (the events API's feed), counted from their creation: how long a consumer can catch up and an
     * administrator can replay one, failed deliveries included. Longer than {@code connector.events.retry-for} (start-up
     * refuses less); an event whose delivery is still being retried is never purged.
     */
    @WithDefault("P30D")
    Duration events();

    /** Delivery attempts of events (each subscription's recent attempts), counted from the attempt. */
    @WithDefault("P30D")
    Duration eventDeliveryAttempts();

    /** How often the purge runs ({@code off} to never run it on this replica). */
    @WithDefault("PT10M")
    String every();

    /** Rows deleted per statement, so a purge never holds many locks at once. */
    @WithDefault("1000")
    int batch();
}
