package dev.stripeconnector.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.RecordedSpans;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.TestPartners;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import dev.stripeconnector.support.hostile.Leaks;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One person's connection is one trace, from the browser's request to the event its receiver got, and no span
 * says a secret: the callback, the code's exchange with Stripe, the statements, and the delivery of
 * installation.connected (the receiver's {@code traceparent} names it) share a trace id; then every attribute of
 * every span the whole journey made (the setup link, the callback, the credentials read, a refresh, a proxied call)
 * is searched for the journey's secrets.
 */
@QuarkusTest
class TracingTest {

    static EventReceiver receiver;

    @InjectWireMock
    WireMockServer stripe;

    @Inject
    RecordedSpans spans;

    @BeforeAll
    static void startReceiver() {
        receiver = EventReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
        Api.resetDatabase();
    }

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
        receiver.forget();
        receiver.answer(204);
    }

    @Test
    void oneCallbackIsOneTraceFromTheBrowsersRequestToTheDeliveredEventWithNoSecretInIt() {
        EventReceiver.Subscription subscription = receiver.subscribe("installation.connected");
        Flows.consoleSetup();
        json(java.util.Map.of("name", "Traced shop")).put("/api/v1/accounts/traced-1/connector").then().statusCode(201);
        String setupUrl = json("{}").post("/api/v1/accounts/traced-1/connector/authorize").then().statusCode(200).extract().path("setupUrl");
        String setupToken = setupUrl.substring(setupUrl.lastIndexOf('/') + 1);
        spans.forget();

        // The person opens the link, Stripe sends them back with a code: the callback exchanges it.
        String authorizeUrl = given().redirects().follow(false).get(java.net.URI.create(setupUrl).getPath()).then().statusCode(302).extract().header("Location");
        String state = StripeStubs.param(authorizeUrl, "state");
        String code = "ac_TracedCode0123456789";
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        given().redirects().follow(false).queryParam("code", code).queryParam("state", state)
                .get("/connector/callback").then().statusCode(200);
        receiver.awaitAccepted(1);

        List<SpanData> all = spans.await("delivering installation.connected",
                span -> span.getName().equals("deliver installation.connected") && span.getAttributes()
                        .get(AttributeKey.stringKey("connector.delivery.outcome")) != null);
        SpanData callback = only(all, span -> span.getKind() == SpanKind.SERVER && "/connector/callback".equals(route(span)));
        String trace = callback.getTraceId();
        List<SpanData> traced = all.stream().filter(span -> span.getTraceId().equals(trace)).toList();
        assertThat(traced).as("the code's exchange with Stripe").anySatisfy(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("url.full"))).endsWith("/oauth/token");
        });
        assertThat(traced.stream().filter(span -> span.getAttributes().get(AttributeKey.stringKey("db.system")) != null
                || span.getAttributes().get(AttributeKey.stringKey("db.system.name")) != null)).as("the statements").hasSizeGreaterThan(2);
        SpanData delivery = only(traced, span -> span.getName().equals("deliver installation.connected"));
        assertThat(delivery.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(delivery.getAttributes().get(AttributeKey.stringKey("connector.delivery.outcome"))).isEqualTo("DELIVERED");
        assertThat(delivery.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(204L);
        assertThat(traced).as("the delivery's statements recording the outcome").anySatisfy(span ->
                assertThat(span.getParentSpanId()).isEqualTo(delivery.getSpanId()));
        // The receiver got the delivery's own trace context; the signature still verifies.
        ServeEvent received = receiver.server().getAllServeEvents().get(0);
        assertThat(received.getRequest().getHeader("traceparent")).isEqualTo("00-" + trace + "-" + delivery.getSpanId() + "-01");
        assertThat(EventReceiver.verify(received.getRequest().getHeader(EventReceiver.SIGNATURE), received.getRequest().getBodyAsString(),
                subscription.secret(), java.time.Duration.ofMinutes(5))).isTrue();

        // What else the partner's service does with the connection: read the credentials, refresh, call Stripe through the proxy.
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/traced-1/connector/credentials")
                .then().statusCode(200);
        StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
        api().post("/api/v1/accounts/traced-1/connector/refresh").then().statusCode(200);
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("customers.json"))));
        api().urlEncodingEnabled(false).get("/api/v1/accounts/traced-1/stripe/v1/customers?limit=3&email=" + code).then().statusCode(200);
        List<SpanData> journey = spans.await("of the proxied call",
                span -> span.getKind() == SpanKind.SERVER && route(span) != null && route(span).contains("/stripe/v1"));

        Set<String> secrets = new LinkedHashSet<>();
        for (String secret : List.of(Flows.SECRET, Flows.ACCESS_TOKEN, Flows.REFRESH_TOKEN, "sk_test_RolledAccessToken0000000002", code,
                state, setupToken, TestKeys.API_KEY, TestKeys.READER_API_KEY, TestKeys.OPS_API_KEY, subscription.secret())) {
            secrets.addAll(Leaks.encodings(secret));
        }
        assertThat(journey).as("spans of the setup link, the callback, the credentials, the refresh and the proxy").hasSizeGreaterThan(20);
        for (String said : everythingSaid(journey)) {
            String leaked = Leaks.secret(said, secrets);
            assertThat(leaked).as("a secret (%s) in a span: %s", leaked == null ? "" : Leaks.name(leaked), said).isNull();
        }
        assertThat(journey).as("the setup link's span names its route, never its token").anySatisfy(span ->
                assertThat(span.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/connector/setup/{token}"));
        assertThat(callback.getAttributes().get(AttributeKey.stringKey("url.query"))).isEqualTo("code&state");
    }

    @Test
    void aRetentionPurgeAndAReEncryptionPassAreSpansOfTheirOwnWithTheirStatementsAsChildrenAndNoSecret() {
        Flows.consoleSetup();
        Flows.connect(stripe, "traced-jobs");
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/traced-jobs/connector/credentials")
                .then().statusCode(200);
        // Something for the purge to delete (and to record in the audit trail, in the same batch): a credential read from long ago.
        Api.update("update credential_read set read_at = now() - interval '400 days' where account_id = 'traced-jobs'");
        String storedSecret = Api.queryString("select client_secret from connector_settings where client_secret is not null");
        spans.forget();

        TestPartners.operator().post("/api/v1/maintenance/purge").then().statusCode(200).body("deleted.credential_read",
                org.hamcrest.Matchers.is(1));
        TestPartners.operator().post("/api/v1/maintenance/re-encrypt").then().statusCode(202);
        // Each span is exported when it ends, the request's after its answer: wait for all four.
        spans.await("of the re-encryption pass", span -> span.getName().equals("re-encryption"));
        spans.await("of the purge", span -> span.getName().equals("retention purge"));
        spans.await("of the purge's request", span -> "/api/v1/maintenance/purge".equals(route(span)));
        List<SpanData> all = spans.await("of the re-encryption's request", span -> "/api/v1/maintenance/re-encrypt".equals(route(span)));

        for (List<String> job : List.of(List.of("retention purge", "/api/v1/maintenance/purge"), List.of("re-encryption",
                "/api/v1/maintenance/re-encrypt"))) {
            SpanData span = only(all, s -> s.getName().equals(job.get(0)));
            SpanData request = only(all, s -> s.getKind() == SpanKind.SERVER && job.get(1).equals(route(s)));
            assertThat(span.getKind()).as(job.get(0)).isEqualTo(SpanKind.INTERNAL);
            assertThat(span.getTraceId()).as("%s in the trace of the operator's request", job.get(0)).isEqualTo(request.getTraceId());
            assertThat(span.getParentSpanId()).as("%s a span of its own under the request", job.get(0)).isEqualTo(request.getSpanId());
            // Its children: the statements (client spans with their SQL), and the pool handing out each one's connection.
            List<SpanData> statements = all.stream().filter(s -> s.getParentSpanId().equals(span.getSpanId()))
                    .filter(s -> statement(s) != null).toList();
            assertThat(statements).as("the statements of %s, its children", job.get(0)).isNotEmpty()
                    .allSatisfy(statement -> assertThat(statement.getKind()).isEqualTo(SpanKind.CLIENT));
        }
        List<String> purged = all.stream().filter(s -> s.getParentSpanId().equals(only(all, j -> j.getName().equals("retention purge")).getSpanId()))
                .map(TracingTest::statement).filter(java.util.Objects::nonNull).toList();
        assertThat(purged).as("the purge's deletes, its audit record and its lock").anySatisfy(sql -> assertThat(sql).startsWith("delete from credential_read"))
                .anySatisfy(sql -> assertThat(sql).startsWith("insert into audit_record"))
                .anySatisfy(sql -> assertThat(sql).contains("pg_try_advisory_lock"));

        Set<String> secrets = new LinkedHashSet<>();
        for (String secret : List.of(Flows.SECRET, Flows.ACCESS_TOKEN, Flows.REFRESH_TOKEN, storedSecret, TestKeys.OPERATOR_KEY,
                TestKeys.READER_API_KEY, TestKeys.ENCRYPTION_KEY_1.substring(TestKeys.ENCRYPTION_KEY_1.indexOf(':') + 1))) {
            secrets.addAll(Leaks.encodings(secret));
        }
        for (String said : everythingSaid(all)) {
            String leaked = Leaks.secret(said, secrets);
            assertThat(leaked).as("a secret (%s) in a job's span: %s", leaked == null ? "" : Leaks.name(leaked), said).isNull();
        }
    }

    /** A statement span's SQL, under the database conventions' older or current name. */
    static String statement(SpanData span) {
        String older = span.getAttributes().get(AttributeKey.stringKey("db.statement"));
        return older != null ? older : span.getAttributes().get(AttributeKey.stringKey("db.query.text"));
    }

    static String route(SpanData span) {
        return span.getAttributes().get(AttributeKey.stringKey("http.route"));
    }

    static SpanData only(List<SpanData> spans, java.util.function.Predicate<SpanData> wanted) {
        List<SpanData> found = spans.stream().filter(wanted).toList();
        assertThat(found).as("exactly one such span among %s", spans.stream().map(SpanData::getName).toList()).hasSize(1);
        return found.get(0);
    }

    /** Every name, attribute key and value, event and link of the spans, as text. */
    static List<String> everythingSaid(List<SpanData> spans) {
        List<String> said = new ArrayList<>();
        for (SpanData span : spans) {
            said.add(span.getName());
            span.getAttributes().forEach((key, value) -> said.add(span.getName() + ": " + key.getKey() + "=" + value));
            for (EventData event : span.getEvents()) {
                said.add(span.getName() + " event " + event.getName());
                event.getAttributes().forEach((key, value) -> said.add(span.getName() + " event: " + key.getKey() + "=" + value));
            }
            span.getLinks().forEach(link -> link.getAttributes().forEach((key, value) -> said.add(key.getKey() + "=" + value)));
            said.add(span.getStatus().getDescription());
            span.getResource().getAttributes().forEach((key, value) -> said.add("resource: " + key.getKey() + "=" + value));
        }
        return said;
    }
}
