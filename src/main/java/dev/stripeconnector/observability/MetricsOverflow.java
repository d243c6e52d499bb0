package dev.stripeconnector.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code connector_metrics_overflow_total{kind}}: what the metric filters kept out of the metrics, so that
 * what callers send cannot grow them. Counted by the filters themselves (which run while the registry is
 * being built, before they could hold a meter) and exposed once the service starts.
 */
@ApplicationScoped
public class MetricsOverflow {

    /** What overflowed. */
    public enum Kind {
        /** A request method outside HTTP's standard ones, recorded as {@code OTHER}. */
        METHOD,
        /** A request path that belongs to no route of the service, recorded as {@code /{unknown}}. */
        PATH,
        /** A new series of a meter that already had its maximum number of series, not recorded. */
        SERIES
    }

    private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

    public MetricsOverflow() {
        for (Kind kind : Kind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    void count(Kind kind) {
        counts.get(kind).increment();
    }

    void register(@Observes StartupEvent started, MeterRegistry registry) {
        bindTo(registry);
    }

    void bindTo(MeterRegistry registry) {
        counts.forEach((kind, count) -> FunctionCounter.builder("connector.metrics.overflow", count, LongAdder::doubleValue)
                .description("Tag values and series kept out of the metrics: methods and paths recorded under one stand-in, series over the cap")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .register(registry));
    }
}
