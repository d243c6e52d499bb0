package dev.stripeconnector.events;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.EventReceiver.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions through the API, as an administrator manages them; and the guard on where events may
 * go: receivers that could reach inside (loopback, private, link-local and metadata addresses, http,
 * other ports, credentials in the URL) are refused when saved, and a name that resolves elsewhere by
 * the time of delivery (DNS rebinding) is refused when connecting. TLS is verified; redirects are not
 * followed.
 */
@QuarkusTest
class EventSubscriptionsTest {

    static EventReceiver receiver;

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
        receiver.answer(204);
    }

    static JsonPath create(Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).post("/api/v1/event-subscriptions").then().statusCode(201)
                .extract().jsonPath();
    }

    /** Waits (bounded) for the subscription's first attempt to be recorded, and answers it. */
    static JsonPath firstAttempt(String subscription) {
        return attemptsUntil(subscription, attempts -> !attempts.getList("").isEmpty());
    }

    /** The subscription's attempts once they satisfy {@code condition} (polling, bounded). */
    static JsonPath attemptsUntil(String subscription, java.util.function.Predicate<JsonPath> condition) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            JsonPath attempts = admin().get("/api/v1/event-subscriptions/" + subscription + "/attempts").then().statusCode(200)
                    .extract().jsonPath();
            if (condition.test(attempts)) {
                return attempts;
            }
            assertThat(Instant.now()).as("the attempts recorded: " + attempts.prettify()).isBefore(deadline);
            EventReceiver.pause(50);
        }
    }

    @Test
    void aTestEventIsSentThroughTheApiAndAnsweredWithWhatTheReceiverSaidStoringNothing() {
        JsonPath created = create(Map.of("url", receiver.url("/test-hook"), "eventTypes", List.of("installation.revoked")));
        String id = created.getString("id");
        String secret = created.getString("signingSecret");
        String path = "/api/v1/event-subscriptions/" + id + "/test";
        // The role that manages subscriptions: another key may not make this service send a request.
        api().post(path).then().statusCode(403).contentType("application/problem+json");
        receiver.forget();
        String feed = Api.queryString("select count(*) from connector_event");
        String attempts = Api.queryString("select count(*) from event_delivery_attempt");

        JsonPath sent = admin().post(path).then().statusCode(200).contentType(ContentType.JSON)
                .body("eventType", equalTo("connector.test")).body("delivered", equalTo(true)).body("httpStatus", equalTo(204))
                .body("error", nullValue()).extract().jsonPath();
        assertThat(sent.getLong("durationMs")).isNotNegative();
        assertThat(Instant.parse(sent.getString("sentAt"))).isNotNull();
        List<EventReceiver.Delivery> got = receiver.received();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).eventId()).isEqualTo(sent.getString("eventId"));
        assertThat(got.get(0).type()).isEqualTo("connector.test");
        assertThat(got.get(0).event().path("test").asBoolean()).isTrue();
        assertThat(EventReceiver.verify(got.get(0).signatureHeader(), got.get(0).body(), secret, java.time.Duration.ofMinutes(5))).isTrue();
        // Not an event of the feed, not an attempt: what it came to is this answer only.
        assertThat(Api.queryString("select count(*) from connector_event")).isEqualTo(feed);
        assertThat(Api.queryString("select count(*) from event_delivery_attempt")).isEqualTo(attempts);

        // A receiver that refuses it: still a 200, the answer says what the receiver said.
        receiver.answer(500);
        admin().post(path).then().statusCode(200).body("delivered", equalTo(false)).body("httpStatus", equalTo(500))
                .body("error", containsString("500"));
        // Unknown, or not an id: problems, and nothing is sent.
        receiver.forget();
        admin().post("/api/v1/event-subscriptions/" + java.util.UUID.randomUUID() + "/test").then().statusCode(404)
                .contentType("application/problem+json");
        admin().post("/api/v1/event-subscriptions/not-an-id/test").then().statusCode(400).contentType("application/problem+json");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void administratorsManageSubscriptionsAndSeeTheSecretOnce() {
        Map<String, Object> body = Map.of("url", receiver.url("/hooks"), "eventTypes", List.of("installation.connected",
                "installation.revoked"), "description", "billing service");
        // Other API keys read events, but may not decide where this service sends requests.
        api().contentType(ContentType.JSON).body(body).post("/api/v1/event-subscriptions").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("POST /api/v1/event-subscriptions needs the role 'admin'"))
                .body("detail", containsString("CONNECTOR_ADMIN_KEYS"));
        api().get("/api/v1/event-subscriptions").then().statusCode(403);
        api().get("/api/v1/events").then().statusCode(200);

        var created = admin().contentType(ContentType.JSON).body(body).post("/api/v1/event-subscriptions").then().statusCode(201)
                .header("Location", startsWith("https://" + TestKeys.SERVICE_DOMAIN + "/api/v1/event-subscriptions/"))
                .header("Cache-Control", "no-store")
                .body("signingSecret", startsWith("scsec_"))
                .body("eventTypes", equalTo(List.of("installation.connected", "installation.revoked")))
                .body("deliveries.pending", equalTo(0))
                .extract().jsonPath();
        String id = created.getString("id");
        String secret = created.getString("signingSecret");
        assertThat(secret).hasSizeGreaterThan(40);
        admin().get("/api/v1/event-subscriptions").then().statusCode(200)
                .body("id", hasItem(id)).body("[0].signingSecret", nullValue()).body("[0].secretLast4", equalTo(secret.substring(secret.length() - 4)))
                .body(not(containsString(secret)));
        admin().get("/api/v1/event-subscriptions/" + id).then().statusCode(200).body("description", equalTo("billing service"))
                .body(not(containsString(secret)));

        Map<String, Object> change = new HashMap<>();
        change.put("eventTypes", List.of("*"));
        change.put("description", null);
        admin().contentType(ContentType.JSON).body(change).put("/api/v1/event-subscriptions/" + id).then().statusCode(200)
                .body("eventTypes", equalTo(List.of("*"))).body("description", nullValue()).body("url", equalTo(receiver.url("/hooks")));
        Map<String, Object> clearUrl = new HashMap<>();
        clearUrl.put("url", null);
        admin().contentType(ContentType.JSON).body(clearUrl).put("/api/v1/event-subscriptions/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("url"));

        admin().delete("/api/v1/event-subscriptions/" + id).then().statusCode(204);
        admin().get("/api/v1/event-subscriptions/" + id).then().statusCode(404).body("type", endsWith("/not-found"));
        admin().delete("/api/v1/event-subscriptions/" + id).then().statusCode(404);
        admin().get("/api/v1/event-subscriptions/not-a-uuid").then().statusCode(400).body("errors[0].field", equalTo("id"));
        given401();
    }

    static void given401() {
        io.restassured.RestAssured.given().get("/api/v1/event-subscriptions").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void subscriptionsThatBreakTheContractAreRefusedFieldByField() {
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/event-subscriptions").then().statusCode(400)
                .body("errors.field", equalTo(List.of("url", "eventTypes")));
        refused(Map.of("url", receiver.url("/h"), "eventTypes", List.of("installation.exploded")), "eventTypes");
        refused(Map.of("url", receiver.url("/h"), "eventTypes", List.of()), "eventTypes");
        refused(Map.of("url", receiver.url("/h"), "eventTypes", List.of("*", "installation.created")), "eventTypes");
        refused(Map.of("url", receiver.url("/h"), "eventTypes", List.of("*"), "description", "x".repeat(201)), "description");
        refused(Map.of("url", receiver.url("/h"), "eventTypes", List.of("*"), "description", "bell\u0007"), "description");
        refused(Map.of("url", receiver.url("/h"), "eventTypes", List.of("*"), "secret", "mine"), "secret");
        refused(Map.of("url", "x".repeat(3000), "eventTypes", List.of("*")), "url");
        admin().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/h"), "eventTypes", "*"))
                .post("/api/v1/event-subscriptions").then().statusCode(400).body("errors[0].field", equalTo("eventTypes"));
        admin().contentType(ContentType.TEXT).body("url=x").post("/api/v1/event-subscriptions").then().statusCode(415);
        admin().contentType(ContentType.JSON).body("{\"url\":").post("/api/v1/event-subscriptions").then().statusCode(400)
                .body("type", endsWith("/malformed-json"));

        String id = create(Map.of("url", receiver.url("/h"), "eventTypes", List.of("*"))).getString("id");
        admin().contentType(ContentType.JSON).body(Map.of("overlap", "P30D")).post("/api/v1/event-subscriptions/" + id + "/rotate-secret")
                .then().statusCode(400).body("errors[0].field", equalTo("overlap"));
        admin().contentType(ContentType.JSON).body(Map.of("overlap", "a day")).post("/api/v1/event-subscriptions/" + id + "/rotate-secret")
                .then().statusCode(400).body("errors[0].field", equalTo("overlap"));
        admin().get("/api/v1/event-subscriptions/" + id + "/attempts?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        admin().get("/api/v1/event-subscriptions/" + id + "/deliveries?status=lost").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/event-subscriptions/" + java.util.UUID.randomUUID() + "/rotate-secret")
                .then().statusCode(404);
    }

    @Test
    void stripeEventTypesAreNoneUnlessAskedForAreCheckedAndShown() {
        // A subscription of before (every type, no Stripe event types) forwards no Stripe event: [] in its view.
        String all = create(Map.of("url", receiver.url("/all"), "eventTypes", List.of("*"))).getString("id");
        admin().get("/api/v1/event-subscriptions/" + all).then().statusCode(200).body("stripeEventTypes", equalTo(List.of()));

        String url = receiver.url("/h");
        refused(Map.of("url", url, "eventTypes", List.of("stripe.event")), "stripeEventTypes");
        refused(Map.of("url", url, "eventTypes", List.of("installation.connected"), "stripeEventTypes", List.of("charge.*")), "eventTypes");
        for (String pattern : List.of("Charge.succeeded", "charge.", ".succeeded", "charge..succeeded", "charge.suc*", "charge succeeded",
                "charge,refunded", "x".repeat(129), "")) {
            refused(Map.of("url", url, "eventTypes", List.of("stripe.event"), "stripeEventTypes", List.of(pattern)), "stripeEventTypes");
        }
        refused(Map.of("url", url, "eventTypes", List.of("stripe.event"), "stripeEventTypes", List.of("*", "charge.*")), "stripeEventTypes");
        admin().contentType(ContentType.JSON).body(Map.of("url", url, "eventTypes", List.of("*"), "stripeEventTypes", "charge.*"))
                .post("/api/v1/event-subscriptions").then().statusCode(400).body("errors[0].field", equalTo("stripeEventTypes"));

        var created = create(Map.of("url", url, "eventTypes", List.of("stripe.event", "installation.revoked"),
                "stripeEventTypes", List.of("charge.*", "account.updated", "charge.*", "*.updated")));
        String id = created.getString("id");
        assertThat(created.getList("stripeEventTypes", String.class)).containsExactly("charge.*", "account.updated", "*.updated");
        admin().get("/api/v1/event-subscriptions").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.stripeEventTypes", equalTo(List.of("charge.*", "account.updated", "*.updated")));

        // A change is checked as the subscription will stand: dropping stripe.event while it has patterns is refused, nothing changed.
        admin().contentType(ContentType.JSON).body(Map.of("eventTypes", List.of("installation.revoked"))).put("/api/v1/event-subscriptions/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("eventTypes"));
        admin().contentType(ContentType.JSON).body(Map.of("stripeEventTypes", List.of("payout.failed"))).put("/api/v1/event-subscriptions/" + id)
                .then().statusCode(200).body("stripeEventTypes", equalTo(List.of("payout.failed")))
                .body("eventTypes", equalTo(List.of("stripe.event", "installation.revoked")));
        Map<String, Object> clear = new HashMap<>();
        clear.put("stripeEventTypes", null);
        admin().contentType(ContentType.JSON).body(clear).put("/api/v1/event-subscriptions/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("stripeEventTypes"));
        clear.put("eventTypes", List.of("installation.revoked"));
        admin().contentType(ContentType.JSON).body(clear).put("/api/v1/event-subscriptions/" + id).then().statusCode(200)
                .body("stripeEventTypes", equalTo(List.of())).body("eventTypes", equalTo(List.of("installation.revoked")));
    }

    static void refused(Map<String, Object> body, String field) {
        admin().contentType(ContentType.JSON).body(body).post("/api/v1/event-subscriptions").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field));
    }

    @Test
    void receiversThatCouldReachInsideAreRefusedWhenSaved() {
        Map<String, String> attempts = new java.util.LinkedHashMap<>();
        attempts.put("http://events.example.com/hook", "must use https");
        attempts.put("https://127.0.0.2/hook", "loopback");
        attempts.put("https://localhost/hook", "localhost");
        attempts.put("https://sub.localhost/hook", "localhost");
        attempts.put("https://169.254.169.254/latest/meta-data/", "link-local");
        attempts.put("https://10.0.0.5/hook", "private");
        attempts.put("https://172.16.3.4/hook", "private");
        attempts.put("https://192.168.1.10/hook", "private");
        attempts.put("https://100.100.100.200/latest/meta-data/", "shared");
        attempts.put("https://0.0.0.0/hook", "unspecified");
        attempts.put("https://[::1]/hook", "loopback");
        attempts.put("https://[fd00:ec2::254]/latest/meta-data/", "unique local");
        attempts.put("https://[fe80::1]/hook", "link-local");
        attempts.put("https://[::ffff:169.254.169.254]/hook", "link-local");
        attempts.put("https://[::ffff:7f00:1]/hook", "loopback");
        attempts.put("https://224.0.0.1/hook", "multicast");
        attempts.put("https://user:password@events.example.com/hook", "credentials");
        attempts.put("https://events.example.com:8443/hook", "port 443");
        attempts.put("https://events.example.com:22/hook", "port 443");
        attempts.put("ftp://events.example.com/hook", "https URL");
        attempts.put("/relative/hook", "https URL");
        attempts.put("javascript:alert(1)", "https URL");
        attempts.put("https://events.example.com/hook#fragment", "fragment");
        attempts.put("https://events.exa mple.com/hook", "spaces");
        attempts.put("https://under_score.example.com/hook", "host name");
        attempts.forEach((url, why) -> admin().contentType(ContentType.JSON).body(Map.of("url", url, "eventTypes", List.of("*")))
                .post("/api/v1/event-subscriptions").then().statusCode(400)
                .body("errors[0].field", equalTo("url")).body("errors[0].message", containsString(why)));
        assertThat(Api.queryString("select count(*) from event_subscription")).isEqualTo("0");
        // A public https receiver is fine (its name need not resolve yet: it is checked at every connection).
        create(Map.of("url", "https://events.example.com/hook?source=stripe-connector", "eventTypes", List.of("*")));
    }

    /** DNS played by the test: every name resolves to what {@code answer} holds at that moment. */
    static AtomicReference<String> resolveNamesTo(String address) {
        AtomicReference<String> answer = new AtomicReference<>(address);
        QuarkusMock.installMockForType(new ReceiverAddresses() {
            @Override
            public List<InetAddress> resolve(String host) throws UnknownHostException {
                return List.of(InetAddress.getByName(answer.get()));
            }
        }, ReceiverAddresses.class);
        return answer;
    }

    @Test
    void aNameThatResolvesInsideIsRefusedWhenSavedAndWhenConnectingLater() {
        AtomicReference<String> dns = resolveNamesTo("10.1.2.3");
        admin().contentType(ContentType.JSON).body(Map.of("url", "https://internal.example.com/hook", "eventTypes", List.of("*")))
                .post("/api/v1/event-subscriptions").then().statusCode(400)
                .body("errors[0].message", containsString("resolves to 10.1.2.3, a private address"));

        // Public when saved, loopback when delivering (DNS rebinding): refused at the connection, nothing is sent.
        dns.set("93.184.216.34");
        String id = create(Map.of("url", "https://rebind.example.com/hook", "eventTypes", List.of("*"))).getString("id");
        dns.set("127.0.0.1");
        Flows.consoleSetup();
        JsonPath attempts = firstAttempt(id);
        assertThat(attempts.getString("[0].outcome")).isEqualTo("retrying");
        assertThat(attempts.getString("[0].error")).contains("refused").contains("resolves to 127.0.0.1, a loopback address");
        assertThat(attempts.getString("[0].httpStatus")).isNull();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void tlsIsVerifiedAndRedirectsAreNotFollowed() throws Exception {
        WireMockServer tls = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
        tls.start();
        try {
            tls.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
            String untrusted = create(Map.of("url", "https://127.0.0.1:" + tls.httpsPort() + "/hook", "eventTypes", List.of("*"))).getString("id");
            receiver.server().resetAll();
            receiver.server().stubFor(any(urlPathEqualTo("/moved")).willReturn(aResponse().withStatus(302)
                    .withHeader("Location", receiver.url("/elsewhere"))));
            receiver.server().stubFor(any(urlPathEqualTo("/elsewhere")).willReturn(aResponse().withStatus(204)));
            String moved = create(Map.of("url", receiver.url("/moved"), "eventTypes", List.of("*"))).getString("id");
            Flows.consoleSetup();

            // The first attempt also sets up TLS, which on a loaded machine can outlast the tests' 2-second request timeout:
            // the attempts that follow say why they failed.
            JsonPath refused = attemptsUntil(untrusted, attempts -> attempts.getList("error", String.class).stream()
                    .anyMatch(error -> error.startsWith("TLS failed")));
            assertThat(refused.getList("outcome", String.class)).containsOnly("retrying");
            assertThat(tls.getAllServeEvents()).as("nothing was sent over an unverified connection").isEmpty();
            JsonPath redirected = firstAttempt(moved);
            assertThat(redirected.getInt("[0].httpStatus")).isEqualTo(302);
            assertThat(redirected.getString("[0].error")).contains("redirects are not followed");
            assertThat(receiver.received()).extracting(d -> d.body()).isNotEmpty();
            assertThat(receiver.server().getAllServeEvents()).extracting(e -> e.getRequest().getUrl()).containsOnly("/moved");
        } finally {
            Api.resetDatabase();
            tls.stop();
        }
    }

    @jakarta.inject.Inject
    DeliveryQueue queue;

    @Test
    void aPreviousSigningSecretIsForgottenOnceItsOverlapIsOver() {
        String id = create(Map.of("url", receiver.url("/h"), "eventTypes", List.of("*"))).getString("id");
        admin().contentType(ContentType.JSON).body(Map.of("overlap", "PT1H")).post("/api/v1/event-subscriptions/" + id + "/rotate-secret")
                .then().statusCode(200);
        queue.forgetExpiredSecrets();
        assertThat(Api.queryString("select previous_signing_secret is not null from event_subscription")).as("still in its overlap").isEqualTo("t");
        // The overlap is over: the old secret signs nothing any more, and no longer keeps an encryption key in use.
        Api.update("update event_subscription set previous_secret_expires_at = now() - interval '1 second'");
        assertThat(queue.forgetExpiredSecrets()).isEqualTo(1);
        assertThat(Api.queryString("select count(*) from event_subscription where previous_signing_secret is null"
                + " and previous_secret_expires_at is null")).isEqualTo("1");
        admin().get("/api/v1/event-subscriptions/" + id).then().statusCode(200).body("previousSecretExpiresAt", nullValue());
    }

    @Test
    void aRedeliveryNeedsAnAdministratorAnEventAndASubscriptionThatReceivesIt() {
        Flows.consoleSetup();
        Api.awaitFeedNumbered();
        String event = api().get("/api/v1/events").then().statusCode(200).extract().path("items[0].id");
        api().contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + event + "/redeliver").then().statusCode(403);
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + event + "/redeliver").then().statusCode(409)
                .body("type", endsWith("/not-subscribed"));
        String onlyConnected = create(Map.of("url", receiver.url("/h"), "eventTypes", List.of("installation.connected"))).getString("id");
        admin().contentType(ContentType.JSON).body(Map.of("subscriptionId", onlyConnected)).post("/api/v1/events/" + event + "/redeliver")
                .then().statusCode(409).body("detail", containsString("does not receive connector.settings_changed"));
        admin().contentType(ContentType.JSON).body(Map.of("subscriptionId", "nope")).post("/api/v1/events/" + event + "/redeliver")
                .then().statusCode(400).body("errors[0].field", equalTo("subscriptionId"));
        admin().contentType(ContentType.JSON).body(Map.of("subscriptionId", java.util.UUID.randomUUID().toString()))
                .post("/api/v1/events/" + event + "/redeliver").then().statusCode(400).body("errors[0].field", equalTo("subscriptionId"));
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + java.util.UUID.randomUUID() + "/redeliver").then()
                .statusCode(404);

        // A subscription made after the event may still be sent it.
        String all = create(Map.of("url", receiver.url("/h"), "eventTypes", List.of("*"))).getString("id");
        admin().contentType(ContentType.JSON).body(Map.of("subscriptionId", all)).post("/api/v1/events/" + event + "/redeliver").then()
                .statusCode(202).body("deliveries[0].subscriptionId", equalTo(all));
        assertThat(receiver.awaitAccepted(1).get(0).eventId()).isEqualTo(event);
    }
}
