package dev.stripeconnector.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A consuming service's webhook endpoint, played by WireMock on 127.0.0.1 (allow-listed in the test
 * settings), with what a consumer does with a delivery: verify its signature, read its event.
 */
public final class EventReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SIGNATURE = "Stripe-Connector-Signature";

    private final WireMockServer server;

    private EventReceiver(WireMockServer server) {
        this.server = server;
    }

    /** A receiver that answers 204 to everything, until told otherwise. */
    public static EventReceiver start() {
        return start(0);
    }

    /** A receiver on {@code port} (0: a free one), e.g. one that comes up where a subscription already points. */
    public static EventReceiver start(int port) {
        WireMockServer server = new WireMockServer(port == 0 ? wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                : wireMockConfig().bindAddress("127.0.0.1").port(port));
        server.start();
        EventReceiver receiver = new EventReceiver(server);
        receiver.answer(204);
        return receiver;
    }

    public WireMockServer server() {
        return server;
    }

    /** The receiver's URL on 127.0.0.1 (allow-listed in the tests; WireMock's own baseUrl says localhost). */
    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** From now on, every delivery is answered {@code status}. */
    public void answer(int status) {
        server.resetAll();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)));
    }

    /** Forgets the requests received so far (the answers stay). */
    public void forget() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** One request the receiver got, in the order they arrived. */
    public record Delivery(String eventId, String signatureHeader, String body, JsonNode event, Instant receivedAt, int answered, String path,
                           String traceparent) {
        public String type() {
            return event.path("type").asText();
        }

        public String cause() {
            return event.path("data").path("cause").asText(null);
        }

        public String status() {
            return event.path("data").path("status").asText(null);
        }

        public String installationId() {
            return event.path("installationId").asText(null);
        }

        public long sequence() {
            return event.path("sequence").asLong();
        }

        public boolean accepted() {
            return answered >= 200 && answered < 300;
        }
    }

    /** Every request received so far, oldest first. */
    public List<Delivery> received() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<Delivery> deliveries = new ArrayList<>();
        for (ServeEvent event : events) {
            String body = event.getRequest().getBodyAsString();
            JsonNode node;
            try {
                node = JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int status = event.getResponse() == null ? 0 : event.getResponse().getStatus();
            deliveries.add(new Delivery(event.getRequest().getHeader("Stripe-Connector-Event-Id"), event.getRequest().getHeader(SIGNATURE),
                    body, node, event.getRequest().getLoggedDate().toInstant(), status, event.getRequest().getUrl(),
                    event.getRequest().containsHeader("traceparent") ? event.getRequest().getHeader("traceparent") : null));
        }
        return deliveries;
    }

    /** The deliveries the receiver accepted, oldest first. */
    public List<Delivery> accepted() {
        return received().stream().filter(Delivery::accepted).toList();
    }

    /** Waits (polling, bounded) until {@code condition} holds for what was received; fails with what was received. */
    public List<Delivery> await(String what, Predicate<List<Delivery>> condition) {
        return await(what, condition, Duration.ofSeconds(20));
    }

    public List<Delivery> await(String what, Predicate<List<Delivery>> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Delivery> received = received();
            if (condition.test(received)) {
                return received;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The receiver did not get " + what + " within " + timeout + "; it got: "
                        + received.stream().map(d -> d.type() + "(" + d.answered() + ")").toList());
            }
            pause(50);
        }
    }

    /** Until the receiver has accepted {@code count} deliveries. */
    public List<Delivery> awaitAccepted(int count) {
        return await(count + " accepted deliveries", r -> r.stream().filter(Delivery::accepted).count() >= count).stream()
                .filter(Delivery::accepted).toList();
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a consumer does with a delivery (the snippet of docs/events.md): the HMAC-SHA256 of
     * "{t}.{raw body}" under its secret must equal one of the v1 values, and t must be recent.
     */
    public static boolean verify(String header, String body, String secret, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Map<String, List<String>> parts = new LinkedHashMap<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.computeIfAbsent(part.substring(0, eq), k -> new ArrayList<>()).add(part.substring(eq + 1));
            }
        }
        if (!parts.containsKey("t") || !parts.containsKey("v1")) {
            return false;
        }
        long t = Long.parseLong(parts.get("t").get(0));
        if (Math.abs(Instant.now().getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        boolean match = false;
        for (String v1 : parts.get("v1")) {
            match |= MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        }
        return match;
    }

    // ---- the subscriptions API, as an administrator ----

    /** A request with the admin API key (subscriptions need the admin role). */
    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY);
    }

    /** A subscription created through the API: its id and the signing secret it showed once. */
    public record Subscription(String id, String secret) {
    }

    public Subscription subscribe(String... types) {
        return subscribeUrl(url("/hooks"), types);
    }

    /** A subscription at {@code path} to {@code types} that forwards the Stripe event types {@code stripeTypes}. */
    public Subscription subscribeToStripe(String path, List<String> stripeTypes, String... types) {
        Map<String, Object> body = Map.of("url", url(path), "eventTypes", List.of(types), "stripeEventTypes", stripeTypes);
        var created = admin().contentType(ContentType.JSON).body(body).post("/api/v1/event-subscriptions").then().log().ifValidationFails()
                .statusCode(201).extract().jsonPath();
        return new Subscription(created.getString("id"), created.getString("signingSecret"));
    }

    public static Subscription subscribeUrl(String url, String... types) {
        Map<String, Object> body = Map.of("url", url, "eventTypes", List.of(types));
        var created = admin().contentType(ContentType.JSON).body(body).post("/api/v1/event-subscriptions").then().log().ifValidationFails()
                .statusCode(201).extract().jsonPath();
        return new Subscription(created.getString("id"), created.getString("signingSecret"));
    }
}
