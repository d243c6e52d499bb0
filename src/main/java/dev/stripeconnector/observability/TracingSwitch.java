package dev.stripeconnector.observability;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is on exactly when somewhere to send it is configured: without an OTLP endpoint
 * ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} or {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) the
 * OpenTelemetry SDK stays off, so no span is made and nothing is sent to Quarkus' default address, where nothing
 * listens, and the connection pool hands out the driver's own connections, not ones wrapped to trace each statement.
 * Its ordinal is below application.properties': {@code QUARKUS_OTEL_SDK_DISABLED} set anywhere still wins.
 */
public class TracingSwitch implements ConfigSourceFactory {

    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = ENDPOINTS.stream().map(name -> configured(context, name))
                .anyMatch(value -> value != null && !value.isBlank());
        // Switched on explicitly (the tests, which record spans in memory): the statements are traced too.
        boolean on = endpoint || "false".equalsIgnoreCase(configured(context, "quarkus.otel.sdk.disabled"));
        // Both ways explicitly: the build records the values it saw as the run's defaults, and it sees no endpoint.
        Map<String, String> tracing = Map.of("quarkus.otel.sdk.disabled", Boolean.toString(!on),
                "quarkus.datasource.jdbc.telemetry.enabled", Boolean.toString(on));
        return List.of(new PropertiesConfigSource(tracing, on ? "tracing on: an OTLP endpoint is set" : "tracing off: no OTLP endpoint", 200));
    }

    /**
     * A value someone set (an environment variable, a system property, application.properties…), never an
     * extension's own default: the OpenTelemetry extension defaults the endpoint to {@code http://localhost:4317/} and
     * {@code sdk.disabled} to {@code false}, and those defaults live in sources of the lowest ordinals.
     */
    static String configured(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getConfigSourceOrdinal() <= 0 ? null : value.getValue();
    }
}
