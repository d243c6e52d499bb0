package dev.stripeconnector.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * At most {@code max} series per meter: the last guard should a tag ever take its values from outside the
 * service (HttpServerTags keeps the HTTP server's to its own). A new series beyond the cap is not recorded
 * and is counted in {@link MetricsOverflow}; the meter's existing series keep recording. The registry asks
 * only about series it does not hold yet, so what this remembers is bounded by the cap too.
 */
final class SeriesCap implements MeterFilter {

    private static final Logger LOG = Logger.getLogger(SeriesCap.class);

    private final int max;
    private final MetricsOverflow overflow;
    private final Map<String, Set<Meter.Id>> admitted = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    SeriesCap(int max, MetricsOverflow overflow) {
        this.max = Math.max(1, max);
        this.overflow = overflow;
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        Set<Meter.Id> series = admitted.computeIfAbsent(id.getName(), name -> ConcurrentHashMap.newKeySet());
        synchronized (series) {
            if (series.contains(id) || series.size() < max) {
                series.add(id);
                return MeterFilterReply.NEUTRAL;
            }
        }
        overflow.count(MetricsOverflow.Kind.SERIES);
        if (reported.add(id.getName())) {
            LOG.warnf("The meter %s has reached its %d series: new ones are not recorded (connector_metrics_overflow_total{kind=\"series\"}"
                    + " counts them). A tag of it takes too many values", id.getName(), max);
        }
        return MeterFilterReply.DENY;
    }
}
