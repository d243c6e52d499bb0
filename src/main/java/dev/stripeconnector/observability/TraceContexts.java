package dev.stripeconnector.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The W3C trace context ({@code traceparent}) as text: what an event's outbox row keeps of the change that wrote it,
 * and what a delivery sends to its receiver, so that the delivery, made later on another thread or replica, joins the
 * change's trace. With tracing off there is no current span and nothing is kept or sent.
 */
public final class TraceContexts {

    public static final String HEADER = "traceparent";

    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceContexts() {
    }

    /** The current span's {@code traceparent}, or null when no span is being recorded (tracing off, or not sampled). */
    public static String current() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, Map::put);
        return headers.get(HEADER);
    }

    /** The context whose child a span of {@code traceparent}'s trace is (the root context when there is none). */
    public static Context parent(String traceparent) {
        return traceparent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, STORED);
    }

    /**
     * Runs a background job ({@code name}: the retention purge, a re-encryption pass) as a span of its own, the child of
     * the current one if any (an operator's request that started it), so its statements make one trace.
     */
    public static void job(Tracer tracer, String name, Runnable job) {
        job(tracer, name, () -> {
            job.run();
            return null;
        });
    }

    /** {@link #job(Tracer, String, Runnable)} for a job that answers (a purge an operator asked for: what it deleted). */
    public static <T> T job(Tracer tracer, String name, Supplier<T> job) {
        Span span = tracer.spanBuilder(name).startSpan();
        try (Scope traced = span.makeCurrent()) {
            return job.get();
        } catch (RuntimeException failure) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            throw failure;
        } finally {
            span.end();
        }
    }

    /** Adds the current span's {@code traceparent} to an outgoing request's headers, when there is one. */
    public static void propagate(BiConsumer<String, String> header) {
        String traceparent = current();
        if (traceparent != null) {
            header.accept(HEADER, traceparent);
        }
    }
}
