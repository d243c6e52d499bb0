package dev.stripeconnector.observability;

import dev.stripeconnector.common.AllowedMethods;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The meter filters Quarkus applies to the registry: metrics cannot grow from what callers send. Their tags
 * carry route templates, never raw paths, and standard methods, never made-up ones (HttpServerTags); and no
 * meter holds more than {@code connector.metrics.max-series-per-meter} series (SeriesCap).
 */
@Singleton
public class MetricFilters {

    /** Static files served outside the REST layer: the console's scripts and styles. */
    private static final String CONSOLE_ASSETS = "/console/assets/";

    @Produces
    @Singleton
    MeterFilter httpServerTags(AllowedMethods routes, MetricsOverflow overflow,
                               @ConfigProperty(name = "quarkus.http.auth.form.post-location") String signInPost) {
        return new HttpServerTags(path -> {
            String template = routes.templateOf(path);
            if (template != null) {
                return template;
            }
            // The two routes outside the REST layer: the sign-in form's post (Quarkus' form mechanism) and the assets.
            if (path.equals(signInPost)) {
                return signInPost;
            }
            return path.startsWith(CONSOLE_ASSETS) ? CONSOLE_ASSETS + "{asset}" : null;
        }, overflow);
    }

    @Produces
    @Singleton
    MeterFilter seriesCap(MetricsConfig config, MetricsOverflow overflow) {
        return new SeriesCap(config.maxSeriesPerMeter(), overflow);
    }
}
