package dev.stripeconnector.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When liveness says the heap is lost: nearly full after every one of several garbage collections in a row. */
@ConfigMapping(prefix = "connector.health.heap")
public interface HeapHealthConfig {

    /** How full (in % of its maximum) the heap's old generation must still be after a collection to count as full. */
    @WithDefault("90")
    int fullPercent();

    /** How many collections in a row, seen by liveness probes, must leave it that full before liveness is DOWN. */
    @WithDefault("3")
    int fullCollections();
}
