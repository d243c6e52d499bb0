package dev.stripeconnector.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two filters on a registry of their own: what a series becomes, and what the cap keeps out and counts. */
class MetricFiltersTest {

    private final MetricsOverflow overflow = new MetricsOverflow();

    @Test
    void aMeterKeepsAtMostItsCapOfSeriesTheExistingOnesKeepRecordingAndTheRestIsCounted() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new SeriesCap(5, overflow));
        overflow.bindTo(registry);

        for (int i = 0; i < 8; i++) {
            registry.counter("test.requests", "caller", "caller-" + i).increment();
        }
        registry.counter("test.requests", "caller", "caller-0").increment();
        registry.counter("test.other", "caller", "caller-7").increment();

        assertThat(registry.find("test.requests").counters()).hasSize(5);
        assertThat(registry.get("test.requests").tag("caller", "caller-0").counter().count()).isEqualTo(2);
        assertThat(registry.find("test.requests").tag("caller", "caller-7").counter()).as("over the cap: not recorded").isNull();
        assertThat(registry.get("test.other").counter().count()).as("another meter has a cap of its own").isEqualTo(1);
        assertThat(overflow(registry, "series")).isEqualTo(3);
    }

    @Test
    void madeUpMethodsAndPathsOfTheHttpServerBecomeOneSeriesAndAreCounted() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new HttpServerTags(
                path -> path.matches("/api/v1/accounts/[^/]+/connector") ? "/api/v1/accounts/{accountId}/connector" : null, overflow));
        overflow.bindTo(registry);

        for (int i = 0; i < 100; i++) {
            request(registry, "QWERTY" + i, "/api/v1/accounts/acct-" + i + "/connector", "405");
            request(registry, "QWERTY" + i, "/junk/" + i, "405");
        }
        request(registry, "GET", "/api/v1/accounts/acct-1/connector", "401");
        request(registry, "GET", "/api/v1/accounts/{accountId}/connector", "200");
        request(registry, "GET", "NOT_FOUND", "404");
        registry.counter("connector.events.delivered", "method", "QWERTY").increment();

        assertThat(registry.find("http.server.requests").timers()).extracting(t -> t.getId().getTag("method") + " "
                + t.getId().getTag("uri") + " " + t.getId().getTag("status")).containsExactlyInAnyOrder(
                "OTHER /api/v1/accounts/{accountId}/connector 405", "OTHER /{unknown} 405",
                "GET /api/v1/accounts/{accountId}/connector 401", "GET /api/v1/accounts/{accountId}/connector 200", "GET NOT_FOUND 404");
        assertThat(registry.get("http.server.requests").tags("method", "OTHER", "status", "405").timer().count()).isEqualTo(100);
        assertThat(registry.get("connector.events.delivered").tag("method", "QWERTY").counter().count())
                .as("only the HTTP server's meters are touched").isEqualTo(1);
        assertThat(overflow(registry, "method")).isEqualTo(200);
        assertThat(overflow(registry, "path")).isEqualTo(100);
    }

    private static void request(MeterRegistry registry, String method, String uri, String status) {
        Timer.builder("http.server.requests").tags(List.of(Tag.of("method", method), Tag.of("uri", uri), Tag.of("status", status)))
                .register(registry).record(Duration.ofMillis(1));
    }

    private static double overflow(MeterRegistry registry, String kind) {
        return registry.get("connector.metrics.overflow").tag("kind", kind).functionCounter().count();
    }
}
