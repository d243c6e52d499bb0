package dev.stripeconnector.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Outbound events: who may receive them, how deliveries are retried (how long events are kept: {@code RetentionConfig}). */
@ConfigMapping(prefix = "connector.events")
public interface EventsConfig {

    /**
     * Hosts whose receivers may use {@code http}, any port and private addresses (in-cluster receivers):
     * exact names or IP addresses, or {@code .suffix} for every name under it. Nothing else may be reached
     * but public addresses over https.
     */
    Optional<List<String>> allowedHosts();

    /** The ports a receiver that is not allow-listed may use (the NetworkPolicy's egress must open them). */
    @WithDefault("443")
    List<Integer> receiverPorts();

    /**
     * How often each replica looks for deliveries that are due, and for committed events without a feed
     * position (a change on the same replica wakes both at once).
     */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** The longest one delivery attempt may take, connecting included; a slower receiver's attempt failed. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** The wait before the first retry; each later wait doubles, up to max-retry-interval, with jitter. */
    @WithDefault("PT30S")
    Duration firstRetry();

    /** The longest wait between two attempts. */
    @WithDefault("PT1H")
    Duration maxRetryInterval();

    /**
     * How long after an event was written its delivery is retried; then it is marked failed and kept for replay
     * (for {@code connector.retention.events}, which must be longer).
     */
    @WithDefault("P3D")
    Duration retryFor();

    /**
     * How many deliveries one replica makes at the same time to one subscription (to different installations);
     * each subscription has this many of its own, so a slow receiver holds up none of the others.
     */
    @WithDefault("8")
    int concurrency();
}
