package dev.stripeconnector.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing is on exactly when an OTLP endpoint is configured, unless it is switched off explicitly. */
class TracingSwitchTest {

    static SmallRyeConfig config(Map<String, String> settings) {
        // Ordinal 300, as the environment's variables have: above the switch's 200. Under them the extension's own
        // defaults (an endpoint on localhost, the SDK enabled), which must not count as "an endpoint is set".
        return new SmallRyeConfigBuilder().withDefaultValue("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317/")
                .withDefaultValue("quarkus.otel.sdk.disabled", "false")
                .withSources(new PropertiesConfigSource(settings, "settings", 300))
                .withSources(new TracingSwitch()).build();
    }

    static String value(SmallRyeConfig config, String name) {
        return config.getOptionalValue(name, String.class).orElse("(unset)");
    }

    @Test
    void withoutAnEndpointTheSdkAndTheStatementWrappersAreOff() {
        SmallRyeConfig config = config(Map.of());
        assertThat(value(config, "quarkus.otel.sdk.disabled")).isEqualTo("true");
        assertThat(value(config, "quarkus.datasource.jdbc.telemetry.enabled")).isEqualTo("false");
    }

    @Test
    void eitherEndpointTurnsTracingOnAndAnExplicitSettingStillWins() {
        for (String endpoint : TracingSwitch.ENDPOINTS) {
            SmallRyeConfig config = config(Map.of(endpoint, "http://otel-collector:4318"));
            assertThat(value(config, "quarkus.otel.sdk.disabled")).as(endpoint).isEqualTo("false");
            assertThat(value(config, "quarkus.datasource.jdbc.telemetry.enabled")).as(endpoint).isEqualTo("true");
        }
        SmallRyeConfig off = config(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://otel-collector:4318", "quarkus.otel.sdk.disabled", "true"));
        assertThat(value(off, "quarkus.otel.sdk.disabled")).isEqualTo("true");
        assertThat(value(config(Map.of("quarkus.otel.exporter.otlp.endpoint", " ")), "quarkus.otel.sdk.disabled")).as("a blank endpoint")
                .isEqualTo("true");
        SmallRyeConfig on = config(Map.of("quarkus.otel.sdk.disabled", "false"));
        assertThat(value(on, "quarkus.datasource.jdbc.telemetry.enabled")).as("switched on without an endpoint").isEqualTo("true");
    }

    @Test
    void offTheServicesOwnSpansAreNoneEvenOverAnSdkThatWouldMakeThem() {
        // What Quarkus builds with the SDK disabled: an SDK without exporters, whose tracer still starts sampled spans.
        try (OpenTelemetrySdk withoutExporters = OpenTelemetrySdk.builder().build()) {
            Span wouldBeMade = withoutExporters.getTracer("any").spanBuilder("deliver").startSpan();
            assertThat(wouldBeMade.getSpanContext().isSampled()).as("the premise: such an SDK makes sampled spans").isTrue();
            wouldBeMade.end();

            Span off = ServiceTracer.of(withoutExporters, true).spanBuilder("deliver").startSpan();
            assertThat(off.getSpanContext().isValid()).isFalse();
            assertThat(off.isRecording()).isFalse();
            off.end();
            Span on = ServiceTracer.of(withoutExporters, false).spanBuilder("deliver").startSpan();
            assertThat(on.getSpanContext().isValid()).isTrue();
            on.end();
        }
    }
}
