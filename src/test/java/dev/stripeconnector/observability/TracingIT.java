package dev.stripeconnector.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.OtlpReceiver;
import dev.stripeconnector.support.OtlpReceiver.ExportedSpan;
import dev.stripeconnector.support.OwnDatabase;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.ServiceHost;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.hostile.Leaks;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tracing in production form: the packaged application, its SDK switched on by nothing but an OTLP endpoint, sends
 * OTLP over http/protobuf to a collector the test runs. One connection is one trace there, from the callback through
 * the code's exchange and the statements to the delivery of installation.connected (a first attempt the receiver
 * refuses, then the one it takes); the JSON log line of the refused attempt names that trace; and no exported byte
 * holds one of the journey's secrets, in any encoding.
 */
class TracingIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneConnectionIsOneTraceAtTheCollectorAndTheLogLineOfAFailedDeliveryNamesIt() throws Exception {
        ServiceHost.install();
        WireMockServer stripe = StripeStubs.newServer();
        try (OwnDatabase database = OwnDatabase.create("tracing"); OtlpReceiver collector = OtlpReceiver.start();
             EventReceiver receiver = EventReceiver.start()) {
            Map<String, String> env = PackagedApp.deliveringEnvironment(database.jdbcUrl(), stripe.baseUrl());
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.endpoint());
            env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.1S");
            try (PackagedApp app = PackagedApp.start(env, PackagedApp.freePort()).awaitReady(Duration.ofSeconds(90))) {
                String signingSecret = given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.OPS_API_KEY)
                        .contentType(ContentType.JSON).body(Map.of("url", receiver.url("/hooks"), "eventTypes", List.of("installation.connected")))
                        .post("/api/v1/event-subscriptions").then().statusCode(201).extract().path("signingSecret");
                api(app).body(Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET)).put("/api/v1/connector").then().statusCode(200);
                api(app).body(Map.of("name", "Traced shop")).put("/api/v1/accounts/traced-1/connector").then().statusCode(201);
                String setupUrl = api(app).body("{}").post("/api/v1/accounts/traced-1/connector/authorize").then().statusCode(200)
                        .extract().path("setupUrl");
                receiver.answer(500);

                String authorizeUrl = given().baseUri(app.baseUrl()).redirects().follow(false).get(URI.create(setupUrl).getPath()).then()
                        .statusCode(302).extract().header("Location");
                String state = StripeStubs.param(authorizeUrl, "state");
                String code = "ac_TracedPackagedCode0123";
                StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
                given().baseUri(app.baseUrl()).redirects().follow(false).queryParam("code", code).queryParam("state", state)
                        .get("/connector/callback").then().statusCode(200);
                receiver.await("the refused first attempt", received -> !received.isEmpty());
                receiver.answer(204);
                receiver.awaitAccepted(1);

                List<ExportedSpan> spans = collector.await("of the delivered attempt", span -> "deliver installation.connected".equals(span.name())
                        && "DELIVERED".equals(span.attribute("connector.delivery.outcome")));
                ExportedSpan callback = spans.stream().filter(span -> span.kind() == 2 && "/connector/callback".equals(span.attribute("http.route")))
                        .findFirst().orElseThrow(() -> new AssertionError("no callback span among " + spans.stream().map(ExportedSpan::name).toList()));
                String trace = callback.traceId();
                List<ExportedSpan> traced = spans.stream().filter(span -> span.traceId().equals(trace)).toList();
                assertThat(traced).as("the code's exchange").anySatisfy(span -> {
                    assertThat(span.kind()).isEqualTo(3);
                    assertThat(span.attribute("url.full")).endsWith("/oauth/token");
                });
                assertThat(traced.stream().filter(span -> span.attribute("db.system") != null || span.attribute("db.system.name") != null))
                        .as("the statements").hasSizeGreaterThan(2);
                List<ExportedSpan> attempts = traced.stream().filter(span -> span.name().equals("deliver installation.connected")).toList();
                assertThat(attempts).extracting(span -> span.attribute("connector.delivery.outcome")).containsExactly("RETRYING", "DELIVERED");
                ServeEvent accepted = receiver.server().getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() == 204).findFirst()
                        .orElseThrow();
                assertThat(accepted.getRequest().getHeader("traceparent")).isEqualTo("00-" + trace + "-" + attempts.get(1).spanId() + "-01");
                assertThat(EventReceiver.verify(accepted.getRequest().getHeader(EventReceiver.SIGNATURE), accepted.getRequest().getBodyAsString(),
                        signingSecret, Duration.ofMinutes(5))).isTrue();

                // The log line an operator finds for the refused attempt leads to the trace and to the attempt's span.
                JsonNode refused = logLines(app).stream().filter(line -> line.path("message").asText().contains("attempt 1:")).findFirst()
                        .orElseThrow(() -> new AssertionError("no log line of the refused attempt"));
                assertThat(refused.path("mdc").path("traceId").asText()).isEqualTo(trace);
                assertThat(refused.path("mdc").path("spanId").asText()).isEqualTo(attempts.get(0).spanId());

                Set<String> secrets = new LinkedHashSet<>();
                for (String secret : List.of(Flows.SECRET, Flows.ACCESS_TOKEN, Flows.REFRESH_TOKEN, code, state,
                        setupUrl.substring(setupUrl.lastIndexOf('/') + 1), TestKeys.API_KEY, TestKeys.OPS_API_KEY, signingSecret)) {
                    secrets.addAll(Leaks.encodings(secret));
                }
                for (byte[] body : collector.bodies()) {
                    String exported = new String(body, StandardCharsets.ISO_8859_1);
                    String leaked = Leaks.secret(exported, secrets);
                    assertThat(leaked).as("a secret (%s) sent to the collector", leaked == null ? "" : Leaks.name(leaked)).isNull();
                }
            }
        } finally {
            stripe.stop();
        }
    }

    static RequestSpecification api(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY).contentType(ContentType.JSON);
    }

    static List<JsonNode> logLines(PackagedApp app) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : app.log().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
