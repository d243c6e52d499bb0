package dev.stripeconnector.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tracer of the service's own spans (a delivery, a background job). With the SDK off, Quarkus still hands out a
 * tracer of an SDK without exporters that starts real, sampled spans: they would be sent nowhere, yet cost their
 * making on every delivery and put trace ids no one can look up on the metrics' exemplars. Off, the tracer is the
 * no-op one, so "tracing off" means no span at all, as for the requests Quarkus instruments itself.
 */
public class ServiceTracer {

    static final String NAME = "stripe-connector";

    @Produces
    @Singleton
    Tracer tracer(OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean off) {
        return of(openTelemetry, off);
    }

    static Tracer of(OpenTelemetry openTelemetry, boolean off) {
        return off ? TracerProvider.noop().get(NAME) : openTelemetry.getTracer(NAME);
    }
}
