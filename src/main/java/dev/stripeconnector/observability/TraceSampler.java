package dev.stripeconnector.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which traces are kept: a span follows its parent's decision, a new trace is kept at
 * {@code quarkus.otel.traces.sampler.arg} (a ratio, 1.0 by default), and a database statement outside any traced
 * work is never a trace of its own. Those are the replicas' polling (the delivery worker looking for due deliveries,
 * the feed's numbering, the partners' domains read every few seconds): hundreds of one-statement traces a minute
 * that tell an operator nothing, and would bury the requests, deliveries and jobs that do. Quarkus uses this bean
 * in place of its configured sampler, and still drops its own endpoints' traces (health, metrics) before it.
 */
@ApplicationScoped
public class TraceSampler implements Sampler {

    /** The database semantic conventions' system attribute, older and current. */
    private static final List<AttributeKey<String>> DATABASE = List.of(AttributeKey.stringKey("db.system"),
            AttributeKey.stringKey("db.system.name"));

    private final Sampler traces;

    TraceSampler(@ConfigProperty(name = "quarkus.otel.traces.sampler.arg", defaultValue = "1.0") double ratio) {
        this.traces = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
    }

    @Override
    public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind, Attributes attributes,
                                       List<LinkData> links) {
        if (kind == SpanKind.CLIENT && !Span.fromContext(parent).getSpanContext().isValid()
                && DATABASE.stream().anyMatch(key -> attributes.get(key) != null)) {
            return SamplingResult.drop();
        }
        return traces.shouldSample(parent, traceId, name, kind, attributes, links);
    }

    @Override
    public String getDescription() {
        return "TraceSampler{" + traces.getDescription() + ", no root database statements}";
    }
}
