package dev.stripeconnector.support;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector as far as the service can tell: OTLP over http/protobuf ({@code POST /v1/traces}) on
 * 127.0.0.1 and a free port, answering each export with an empty {@code ExportTraceServiceResponse}. It keeps every
 * request's body as it came, and reads the spans in it with a small protobuf reader that knows the few fields of
 * opentelemetry-proto's trace messages a test looks at (the exporter's own marshalling is all the service has).
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One span as exported: ids in hex, its kind as OTLP numbers it (2 server, 3 client), its string and number attributes. */
    public record ExportedSpan(String traceId, String spanId, String parentSpanId, String name, int kind, Map<String, String> attributes) {
        public String attribute(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final List<byte[]> bodies = new ArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                        try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(body))) {
                            body = unzipped.readAllBytes();
                        }
                    }
                    synchronized (receiver.bodies) {
                        receiver.bodies.add(body);
                    }
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the service sends its traces ({@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every export request's body, as received (what a secret must not be found in, in any encoding). */
    public List<byte[]> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    public List<ExportedSpan> spans() {
        List<ExportedSpan> spans = new ArrayList<>();
        for (byte[] body : bodies()) {
            // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2)
            for (Field resourceSpans : fields(body, 1)) {
                for (Field scopeSpans : fields(resourceSpans.bytes, 2)) {
                    for (Field span : fields(scopeSpans.bytes, 2)) {
                        spans.add(span(span.bytes));
                    }
                }
            }
        }
        return spans;
    }

    /** Waits (bounded) until an exported span matches {@code wanted}; every span so far. */
    public List<ExportedSpan> await(String what, Predicate<ExportedSpan> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (spans().stream().noneMatch(wanted)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No span " + what + " among " + spans().stream().map(ExportedSpan::name).toList());
            }
            EventReceiver.pause(100);
        }
        return spans();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static ExportedSpan span(byte[] span) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        for (Field field : fields(span, 0)) {
            switch (field.number) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
                case 4 -> parent = HexFormat.of().formatHex(field.bytes);
                case 5 -> name = new String(field.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) field.varint;
                case 9 -> {
                    // KeyValue: key(1), value(2) AnyValue: string_value(1), bool_value(2), int_value(3)
                    String key = null;
                    String value = null;
                    for (Field part : fields(field.bytes, 0)) {
                        if (part.number == 1) {
                            key = new String(part.bytes, StandardCharsets.UTF_8);
                        } else if (part.number == 2) {
                            for (Field any : fields(part.bytes, 0)) {
                                value = any.bytes != null ? new String(any.bytes, StandardCharsets.UTF_8) : Long.toString(any.varint);
                            }
                        }
                    }
                    attributes.put(key, value);
                }
                default -> { }
            }
        }
        return new ExportedSpan(traceId, spanId, parent, name, kind, attributes);
    }

    /** A field of a protobuf message: a length-delimited value's bytes, or a number. */
    private record Field(int number, byte[] bytes, long varint) {
    }

    /** The fields of a message numbered {@code wanted} (0: all), in order. */
    private static List<Field> fields(byte[] message, int wanted) {
        List<Field> fields = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            long tag = varint(in);
            int number = (int) (tag >>> 3);
            Field field = switch ((int) (tag & 7)) {
                case 0 -> new Field(number, null, varint(in));
                case 1 -> new Field(number, null, in.getLong());
                case 2 -> {
                    byte[] bytes = new byte[(int) varint(in)];
                    in.get(bytes);
                    yield new Field(number, bytes, 0);
                }
                case 5 -> new Field(number, null, in.getInt());
                default -> throw new IllegalStateException("Not an OTLP message: wire type " + (tag & 7));
            };
            if (wanted == 0 || number == wanted) {
                fields.add(field);
            }
        }
        return fields;
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("Not an OTLP message: a varint longer than 10 bytes");
    }
}
