package dev.stripeconnector.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on the service's metrics, whatever callers send. */
@ConfigMapping(prefix = "connector.metrics")
public interface MetricsConfig {

    /**
     * The most series (tag combinations) one meter may have; a new series beyond it is not recorded, and is
     * counted in {@code connector_metrics_overflow_total{kind="series"}}.
     */
    @WithDefault("4000")
    int maxSeriesPerMeter();
}
