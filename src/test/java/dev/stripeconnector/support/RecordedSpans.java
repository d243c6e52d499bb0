package dev.stripeconnector.support;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The spans the service under test finished, through the OpenTelemetry SDK's in-memory exporter: Quarkus sends
 * every span to each {@code SpanExporter} bean (application.properties turns the SDK on in the test profile, without
 * an OTLP endpoint). Every test of the suite makes spans, so they are forgotten in bulk once there are many; a test
 * that reads them calls {@link #forget()} first.
 */
@Singleton
public class RecordedSpans implements SpanExporter {

    private static final int KEPT = 20_000;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> batch) {
        if (spans.getFinishedSpanItems().size() > KEPT) {
            spans.reset();
        }
        return spans.export(batch);
    }

    @Override
    public CompletableResultCode flush() {
        return spans.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return spans.shutdown();
    }

    public synchronized void forget() {
        spans.reset();
    }

    public synchronized List<SpanData> all() {
        return spans.getFinishedSpanItems();
    }

    /** Waits (bounded) until a finished span matches {@code wanted}; every span so far. */
    public List<SpanData> await(String what, Predicate<SpanData> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (all().stream().noneMatch(wanted)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No span " + what + " among " + all().stream().map(SpanData::getName).toList());
            }
            EventReceiver.pause(50);
        }
        return all();
    }
}
