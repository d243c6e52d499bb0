package dev.stripeconnector.events;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static dev.stripeconnector.support.EventReceiver.admin;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.sun.net.httpserver.HttpServer;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.EventReceiver.Delivery;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.PrometheusText;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestPartners;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import dev.stripeconnector.support.hostile.LogCapture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed events reach a subscribed receiver (WireMock on 127.0.0.1) as a consuming service sees them:
 * one for every change of an installation, in order, once; through a receiver outage; never for a
 * change that was rolled back; failed after the retry period and replayed on request.
 */
@QuarkusTest
class EventDeliveryTest {

    static EventReceiver receiver;

    @InjectWireMock
    WireMockServer stripe;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeAll
    static void startReceiver() {
        receiver = EventReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from webhook_event");
        stripe.resetAll();
        receiver.answer(204);
    }

    @AfterEach
    void noSubscriptionsLeft() {
        Api.resetDatabase();
    }

    /** Stripe's answer to GET /v1/account for the connected account (the platform's own account keeps its default answer). */
    void accountAnswers(int status, String fixture) {
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+")).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/json").withBody(fixture(fixture))));
    }

    /** Waits until no delivery is pending any more (every one delivered or failed). */
    static void awaitNoPendingDeliveries() {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!"0".equals(Api.queryString("select count(*) from event_delivery where status = 'PENDING'"))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Deliveries still pending: " + Api.dumpTable("event_delivery"));
            }
            EventReceiver.pause(50);
        }
    }

    @Inject
    EventOutbox outbox;

    /** One event of {@code partner}'s installation (or console setup, without one), as a change of it writes it. */
    UUID recordFor(PartnerId partner, EventType type, String accountId, UUID installation) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.record(partner, type, accountId, installation, installation == null
                ? Event.EventData.settings(List.of("clientId"), "ca_same", false, null, "read_write", "standard")
                : Event.EventData.installation("connected", "pending", "authorized", "acct_1SameStripe", false, "read_write", null)));
    }

    @Test
    void twoPartnersWithTheSameAccountIdsAndReceiverEachGetOnlyTheirOwnEventsFeedSubscriptionsAndDeliveries() {
        TestPartners.remove("acme");
        TestPartners.remove("globex");
        try {
            Map<String, String> keys = Map.of("acme", TestPartners.createWithKey("acme", "api", "admin"),
                    "globex", TestPartners.createWithKey("globex", "api", "admin"));
            // The same receiver URL and description for both partners (and for partner default).
            Map<String, Object> subscribe = Map.of("url", receiver.url("/hooks"), "eventTypes", List.of("*"), "description", "same");
            Map<String, EventReceiver.Subscription> subscriptions = new LinkedHashMap<>();
            for (String partner : List.of("acme", "globex")) {
                var created = TestPartners.withKey(keys.get(partner)).contentType(ContentType.JSON).body(subscribe)
                        .post("/api/v1/event-subscriptions").then().statusCode(201)
                        .header("Location", startsWith("https://" + partner + ".partners.example/api/v1/event-subscriptions/"))
                        .extract().jsonPath();
                subscriptions.put(partner, new EventReceiver.Subscription(created.getString("id"), created.getString("signingSecret")));
            }
            subscriptions.put("default", receiver.subscribe("*"));

            // Each partner: an installation of the same account id, two changes of it, and a change of its console setup.
            Map<String, List<String>> events = new LinkedHashMap<>();
            for (String partner : List.of("acme", "globex")) {
                PartnerId id = new PartnerId(partner);
                UUID installation = UUID.randomUUID();
                events.put(partner, List.of(recordFor(id, EventType.INSTALLATION_CREATED, "acct_same", installation).toString(),
                        recordFor(id, EventType.INSTALLATION_CONNECTED, "acct_same", installation).toString(),
                        recordFor(id, EventType.CONNECTOR_SETTINGS_CHANGED, null, null).toString()));
            }
            Flows.consoleSetup();
            Api.awaitFeedNumbered();
            awaitNoPendingDeliveries();

            // Each partner's feed: its own events only, in order, numbered 1, 2, 3 in its own feed; each stream's sequence from 1.
            for (String partner : List.of("acme", "globex")) {
                var feed = TestPartners.withKey(keys.get(partner)).get("/api/v1/events").then().statusCode(200).extract().jsonPath();
                assertThat(feed.getList("items.id", String.class)).as(partner + "'s feed").isEqualTo(events.get(partner));
                assertThat(feed.getList("items.sequence", Integer.class)).isEqualTo(List.of(1, 2, 1));
                assertThat(feed.getList("items.accountId", String.class)).containsExactly("acct_same", "acct_same", null);
                assertThat(TestPartners.withKey(keys.get(partner)).queryParam("accountId", "acct_same").get("/api/v1/events").then()
                        .statusCode(200).extract().jsonPath().getList("items.id", String.class)).isEqualTo(events.get(partner).subList(0, 2));
                assertThat(Api.queryString("select string_agg(cast(feed_position as text), ',' order by feed_position) from connector_event"
                        + " where partner_id = ?", partner)).as(partner + "'s positions").isEqualTo("1,2,3");
                assertThat(Api.queryString("select last_position from partner_feed where partner_id = ?", partner)).isEqualTo("3");
            }
            List<String> defaults = api().get("/api/v1/events").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
            assertThat(defaults).hasSize(1).doesNotContainAnyElementsOf(events.get("acme")).doesNotContainAnyElementsOf(events.get("globex"));

            // Every event reached its own partner's subscription once, signed with that subscription's secret only.
            List<Delivery> delivered = receiver.awaitAccepted(7);
            assertThat(delivered).hasSize(7);
            Map<String, String> partnerOfEvent = new LinkedHashMap<>();
            events.forEach((partner, ids) -> ids.forEach(id -> partnerOfEvent.put(id, partner)));
            partnerOfEvent.put(defaults.get(0), "default");
            assertThat(delivered.stream().map(Delivery::eventId).toList()).containsExactlyInAnyOrderElementsOf(partnerOfEvent.keySet());
            for (Delivery delivery : delivered) {
                String owner = partnerOfEvent.get(delivery.eventId());
                subscriptions.forEach((partner, subscription) -> assertThat(EventReceiver.verify(delivery.signatureHeader(), delivery.body(),
                        subscription.secret(), Duration.ofMinutes(5))).as(delivery.eventId() + " of " + owner + " signed for " + partner)
                        .isEqualTo(partner.equals(owner)));
            }
            for (String partner : List.of("acme", "globex")) {
                String subscription = subscriptions.get(partner).id();
                var admin = TestPartners.withKey(keys.get(partner));
                assertThat(admin.get("/api/v1/event-subscriptions").then().statusCode(200).extract().jsonPath().getList("id", String.class))
                        .containsExactly(subscription);
                TestPartners.withKey(keys.get(partner)).get("/api/v1/event-subscriptions/" + subscription).then().statusCode(200)
                        .body("deliveries.delivered", equalTo(3)).body("deliveries.pending", equalTo(0));
                assertThat(TestPartners.withKey(keys.get(partner)).get("/api/v1/event-subscriptions/" + subscription + "/deliveries").then()
                        .statusCode(200).extract().jsonPath().getList("eventId", String.class))
                        .as("newest first").isEqualTo(events.get(partner).reversed());
                assertThat(TestPartners.withKey(keys.get(partner)).get("/api/v1/event-subscriptions/" + subscription + "/attempts").then()
                        .statusCode(200).extract().jsonPath().getList("eventId", String.class))
                        .containsExactlyInAnyOrderElementsOf(events.get(partner));
            }
            assertThat(Api.queryString("""
                    select count(*) from event_delivery d join event_subscription s on s.id = d.subscription_id
                    join connector_event e on e.id = d.event_id where d.partner_id <> s.partner_id or d.partner_id <> e.partner_id""")).isEqualTo("0");
            assertThat(Api.queryString("""
                    select count(*) from event_delivery_attempt a join event_delivery d on d.id = a.delivery_id
                    where a.partner_id <> d.partner_id""")).isEqualTo("0");
            assertThat(Api.queryString("select count(*) from event_delivery_attempt where partner_id = 'acme'")).isEqualTo("3");

            // acme's key on globex's event and subscription: unknown, and nothing changes.
            String theirs = events.get("globex").get(0);
            String theirSubscription = subscriptions.get("globex").id();
            String before = Api.dumpTable("event_subscription") + Api.dumpTable("event_delivery");
            var acme = TestPartners.withKey(keys.get("acme"));
            acme.get("/api/v1/events/" + theirs).then().statusCode(404).contentType("application/problem+json");
            api().get("/api/v1/events/" + theirs).then().statusCode(404);
            TestPartners.withKey(keys.get("acme")).queryParam("after", theirs).get("/api/v1/events").then().statusCode(400)
                    .body("errors[0].field", equalTo("after"));
            TestPartners.withKey(keys.get("acme")).contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + theirs + "/redeliver")
                    .then().statusCode(404);
            TestPartners.withKey(keys.get("acme")).contentType(ContentType.JSON).body(Map.of("subscriptionId", theirSubscription))
                    .post("/api/v1/events/" + events.get("acme").get(0) + "/redeliver").then().statusCode(400)
                    .body("errors[0].field", equalTo("subscriptionId"));
            String path = "/api/v1/event-subscriptions/" + theirSubscription;
            TestPartners.withKey(keys.get("acme")).get(path).then().statusCode(404).contentType("application/problem+json");
            TestPartners.withKey(keys.get("acme")).contentType(ContentType.JSON).body(Map.of("url", receiver.url("/stolen")))
                    .put(path).then().statusCode(404);
            TestPartners.withKey(keys.get("acme")).contentType(ContentType.JSON).body("{}").post(path + "/rotate-secret").then().statusCode(404);
            TestPartners.withKey(keys.get("acme")).get(path + "/deliveries").then().statusCode(404);
            TestPartners.withKey(keys.get("acme")).get(path + "/attempts").then().statusCode(404);
            TestPartners.withKey(keys.get("acme")).post(path + "/test").then().statusCode(404).contentType("application/problem+json");
            TestPartners.withKey(keys.get("acme")).delete(path).then().statusCode(404);
            admin().delete(path).then().statusCode(404);
            assertThat(Api.dumpTable("event_subscription") + Api.dumpTable("event_delivery")).as("nothing changed").isEqualTo(before);

            // A replay of acme's own event goes to acme's subscription only.
            receiver.forget();
            TestPartners.withKey(keys.get("acme")).contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/events/" + events.get("acme").get(0) + "/redeliver").then().statusCode(202)
                    .body("deliveries.subscriptionId", equalTo(List.of(subscriptions.get("acme").id())));
            Delivery replayed = receiver.awaitAccepted(1).get(0);
            assertThat(replayed.eventId()).isEqualTo(events.get("acme").get(0));
            assertThat(EventReceiver.verify(replayed.signatureHeader(), replayed.body(), subscriptions.get("acme").secret(), Duration.ofMinutes(5)))
                    .isTrue();
            assertThat(EventReceiver.verify(replayed.signatureHeader(), replayed.body(), subscriptions.get("globex").secret(), Duration.ofMinutes(5)))
                    .isFalse();
        } finally {
            TestPartners.remove("acme");
            TestPartners.remove("globex");
        }
    }

    /** One row of the table of transitions in docs/events.md: what was done, and the event it must give. */
    record Expected(String transition, String type, String cause, String status) {
    }

    @Test
    void everyChangeOfAnInstallationReachesTheSubscriberSignedOnceAndInOrder() {
        EventReceiver.Subscription subscription = receiver.subscribe("*");
        List<Expected> expected = new ArrayList<>();

        Flows.consoleSetup();
        expected.add(new Expected("console values set", "connector.settings_changed", null, null));
        json(Map.of("name", "Shop ev-1")).put("/api/v1/accounts/ev-1/connector").then().statusCode(201);
        expected.add(new Expected("installed", "installation.created", null, "pending"));
        json(Map.of("clientId", "ca_AccountsOwnPlatform7")).put("/api/v1/accounts/ev-1/connector").then().statusCode(200);
        expected.add(new Expected("override set", "installation.credentials_changed", null, "pending"));
        json(Map.of("name", "Renamed shop")).put("/api/v1/accounts/ev-1/connector").then().statusCode(200);
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put("clientId", null);
        json(clear).put("/api/v1/accounts/ev-1/connector").then().statusCode(200);
        expected.add(new Expected("override cleared", "installation.credentials_changed", null, "pending"));
        Flows.reconnect(stripe, "ev-1");
        expected.add(new Expected("connected", "installation.connected", "authorized", "connected"));
        StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
        api().post("/api/v1/accounts/ev-1/connector/refresh").then().statusCode(200);
        expected.add(new Expected("tokens refreshed", "installation.refreshed", null, "connected"));
        accountAnswers(403, "account-revoked.json");
        api().post("/api/v1/accounts/ev-1/connector/verify").then().statusCode(200).body("status", equalTo("revoked"));
        expected.add(new Expected("verify: Stripe confirms lost access", "installation.revoked", "access_revoked", "revoked"));
        accountAnswers(200, "account.json");
        api().post("/api/v1/accounts/ev-1/connector/verify").then().statusCode(200).body("status", equalTo("connected"));
        expected.add(new Expected("verify: access works again", "installation.connected", "verified", "connected"));
        api().post("/api/v1/accounts/ev-1/connector/verify").then().statusCode(200);
        accountAnswers(401, "account-revoked.json");
        api().post("/api/v1/accounts/ev-1/connector/verify").then().statusCode(409);
        expected.add(new Expected("verify: platform key rejected", "installation.error", "platform_key_rejected", "connected"));
        accountAnswers(200, "account.json");
        api().post("/api/v1/accounts/ev-1/connector/verify").then().statusCode(200);
        expected.add(new Expected("verify: error cleared", "installation.connected", "verified", "connected"));
        Flows.reconnect(stripe, "ev-1");
        expected.add(new Expected("connected again", "installation.connected", "reauthorized", "connected"));
        refusedAuthorizationCode("ev-1");
        expected.add(new Expected("code refused (old connection kept)", "installation.error", "invalid_grant", "connected"));
        StripeStubs.tokenAnswers(stripe, 400, "token-invalid-grant.json");
        api().post("/api/v1/accounts/ev-1/connector/refresh").then().statusCode(409);
        expected.add(new Expected("refresh token refused", "installation.error", "invalid_grant", "error"));
        Webhooks.signed(Webhooks.deauthorized()).post("/webhooks/stripe").then().statusCode(200);
        expected.add(new Expected("Stripe's deauthorization", "installation.revoked", "deauthorized", "revoked"));
        api().post("/api/v1/accounts/ev-1/connector/disconnect").then().statusCode(200);
        expected.add(new Expected("disconnected, kept", "installation.disconnected", "disconnected", "disconnected"));
        api().delete("/api/v1/accounts/ev-1/connector").then().statusCode(200);
        expected.add(new Expected("removed", "installation.removed", "removed", "removed"));

        List<Delivery> delivered = receiver.awaitAccepted(expected.size());
        awaitNoPendingDeliveries();
        delivered = receiver.accepted();
        System.out.println("[events] transitions -> events:\n" + expected.stream()
                .map(e -> "| " + e.transition() + " | `" + e.type() + "` | " + (e.cause() == null ? "" : "`" + e.cause() + "`") + " | "
                        + (e.status() == null ? "" : "`" + e.status() + "`") + " |").collect(Collectors.joining("\n")));

        // Once each, in order: the receiver's view is exactly the list of changes.
        assertThat(delivered).extracting(Delivery::type).containsExactlyElementsOf(expected.stream().map(Expected::type).toList());
        assertThat(delivered).extracting(Delivery::cause).containsExactlyElementsOf(expected.stream().map(Expected::cause).toList());
        assertThat(delivered).extracting(Delivery::status).containsExactlyElementsOf(expected.stream().map(Expected::status).toList());
        assertThat(receiver.received()).as("nothing was sent twice or refused").hasSameSizeAs(delivered);
        List<Delivery> installation = delivered.subList(1, delivered.size());
        assertThat(installation).extracting(Delivery::installationId).containsOnly(installation.get(0).installationId());
        assertThat(installation).extracting(Delivery::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, installation.size()).boxed().toList());
        assertThat(delivered.get(0).event().has("installationId")).isFalse();

        // What a consumer needs to act, and never a secret.
        Delivery connected = delivered.get(4);
        assertThat(connected.event().path("accountId").asText()).isEqualTo("ev-1");
        assertThat(connected.event().path("version").asInt()).isEqualTo(1);
        assertThat(connected.event().path("data").path("stripeUserId").asText()).isEqualTo(Flows.STRIPE_USER_ID);
        assertThat(connected.event().path("data").path("livemode").asBoolean(true)).isFalse();
        assertThat(connected.event().path("data").path("previousStatus").asText()).isEqualTo("pending");
        assertThat(delivered.get(2).event().path("data").path("changed")).extracting(n -> n.asText()).containsExactly("clientId");
        assertThat(delivered.get(delivered.size() - 1).event().path("data").path("stripeNotified").asBoolean(true)).isFalse();
        assertThat(delivered.get(12).event().path("data").path("error").path("code").asText()).isEqualTo("invalid_grant");
        for (Delivery delivery : delivered) {
            assertThat(delivery.eventId()).isEqualTo(delivery.event().path("id").asText());
            assertThat(EventReceiver.verify(delivery.signatureHeader(), delivery.body(), subscription.secret(), Duration.ofMinutes(5)))
                    .as("the signature of " + delivery.type()).isTrue();
            assertThat(EventReceiver.verify(delivery.signatureHeader(), delivery.body(), "scsec_NotTheSecret", Duration.ofMinutes(5))).isFalse();
            assertThat(delivery.body()).doesNotContain(Flows.SECRET, Flows.ACCESS_TOKEN, Flows.REFRESH_TOKEN,
                    "sk_test_RolledAccessToken0000000002", subscription.secret(), "pk_test_");
        }

        // The events API lists the same events, byte for byte, in the same order.
        Api.awaitFeedNumbered();
        var feed = api().queryParam("limit", 200).get("/api/v1/events").then().statusCode(200)
                .body("hasMore", equalTo(false)).extract().jsonPath();
        List<String> types = feed.getList("items.type", String.class);
        List<String> listed = feed.getList("items.id", String.class);
        // The feed also keeps Stripe's deauthorization as Stripe's event of the installation (stripe.event), which a
        // subscription of every type without stripeEventTypes is not sent.
        assertThat(types).filteredOn("stripe.event"::equals).hasSize(1);
        assertThat(feed.getString("items[" + types.indexOf("stripe.event") + "].data.stripeEventType"))
                .isEqualTo("account.application.deauthorized");
        listed = java.util.stream.IntStream.range(0, listed.size()).filter(i -> !types.get(i).equals("stripe.event")).mapToObj(listed::get).toList();
        assertThat(listed).containsExactlyElementsOf(delivered.stream().map(Delivery::eventId).toList());
        String one = api().get("/api/v1/events/" + delivered.get(5).eventId()).then().statusCode(200).extract().asString();
        assertThat(one).isEqualTo(delivered.get(5).body());
    }

    /** A new authorization whose code Stripe refuses: the callback shows the error; the connected installation keeps its tokens. */
    void refusedAuthorizationCode(String accountId) {
        String authorizeUrl = json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then()
                .statusCode(200).extract().path("authorizeUrl");
        StripeStubs.tokenAnswers(stripe, 400, "token-invalid-grant.json");
        given().redirects().follow(false).queryParam("code", "ac_Refused" + accountId.replaceAll("[^A-Za-z0-9]", ""))
                .queryParam("state", StripeStubs.param(authorizeUrl, "state")).get("/connector/callback").then().statusCode(400);
        stripe.resetAll();
    }

    @Test
    void aReceiverThatIsDownGetsEverythingInOrderOnceItIsBack() {
        receiver.answer(503);
        receiver.subscribe("*");
        Flows.consoleSetup();
        for (String account : List.of("down-1", "down-2")) {
            Flows.connect(stripe, account);
            StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
            api().post("/api/v1/accounts/" + account + "/connector/refresh").then().statusCode(200);
            stripe.resetAll();
        }
        int events = Integer.parseInt(Api.queryString("select count(*) from connector_event"));
        assertThat(events).isEqualTo(7);
        // The receiver is hit, refuses, and is retried (backoff of 0.1 to 0.4 s in the tests).
        receiver.await("retried deliveries", r -> r.size() >= 6);
        assertThat(Api.queryString("select count(*) from event_delivery where status = 'PENDING'")).isEqualTo(String.valueOf(events));
        assertThat(receiver.received()).noneMatch(Delivery::accepted);

        receiver.answer(204);
        List<Delivery> accepted = receiver.awaitAccepted(events);
        awaitNoPendingDeliveries();
        accepted = receiver.accepted();
        assertThat(accepted).extracting(Delivery::eventId).doesNotHaveDuplicates().hasSize(events);
        Map<String, List<Long>> perInstallation = accepted.stream().filter(d -> d.installationId() != null)
                .collect(Collectors.groupingBy(Delivery::installationId, LinkedHashMap::new,
                        Collectors.mapping(Delivery::sequence, Collectors.toList())));
        assertThat(perInstallation).hasSize(2).allSatisfy((id, sequence) -> assertThat(sequence).containsExactly(1L, 2L, 3L));
        assertThat(Api.queryString("select count(*) from event_delivery where status = 'DELIVERED'")).isEqualTo(String.valueOf(events));
    }

    @Test
    void aChangeThatRollsBackSendsNothing() {
        receiver.subscribe("*");
        // The installation's change fails at commit, after the event was written in its transaction: PostgreSQL refuses
        // it as a serialization failure would (a deferred check), and the caller is told to retry.
        Api.update("""
                create or replace function refuse_rollback_account() returns trigger language plpgsql as $$
                begin
                  if new.account_id like 'rollback-%' then
                    raise exception 'refused at commit by the test' using errcode = '40001';
                  end if;
                  return new;
                end $$""");
        Api.update("""
                create constraint trigger refuse_rollback_account after insert or update on account_connector
                deferrable initially deferred for each row execute function refuse_rollback_account()""");
        try {
            json(Map.of("name", "Never")).put("/api/v1/accounts/rollback-1/connector").then().statusCode(409)
                    .body("type", org.hamcrest.Matchers.endsWith("/concurrent-change"));
        } finally {
            Api.update("drop trigger refuse_rollback_account on account_connector");
            Api.update("drop function refuse_rollback_account()");
        }
        json(Map.of("name", "Afterwards")).put("/api/v1/accounts/after-1/connector").then().statusCode(201);

        List<Delivery> accepted = receiver.awaitAccepted(1);
        awaitNoPendingDeliveries();
        assertThat(receiver.received()).extracting(d -> d.event().path("accountId").asText()).containsExactly("after-1");
        assertThat(accepted.get(0).sequence()).isEqualTo(1);
        assertThat(Api.queryString("select count(*) from connector_event where account_id = 'rollback-1'")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from account_connector where account_id = 'rollback-1'")).isEqualTo("0");
    }

    @Test
    void aDeliveryThatKeepsFailingIsMarkedFailedLaterEventsGoAheadAndItCanBeReplayed() {
        receiver.answer(500);
        EventReceiver.Subscription subscription = receiver.subscribe("connector.settings_changed");
        Flows.consoleSetup();
        receiver.await("a few attempts", r -> r.size() >= 3);
        // The retry period ends (as if three days had passed): the next attempt gives up.
        Api.update("update event_delivery set give_up_at = now()");
        Instant deadline = Instant.now().plusSeconds(20);
        while (!"FAILED".equals(Api.queryString("select status from event_delivery"))) {
            assertThat(Instant.now()).as("the delivery is marked failed").isBefore(deadline);
            EventReceiver.pause(50);
        }
        String failed = Api.queryString("select event_id from event_delivery where status = 'FAILED'");

        receiver.answer(204);
        json(Map.of("defaultScope", "read_only")).put("/api/v1/connector").then().statusCode(200);
        Delivery next = receiver.awaitAccepted(1).get(0);
        assertThat(next.sequence()).as("a later event of the same stream goes ahead; the gap shows the failed one").isEqualTo(2);

        admin().get("/api/v1/event-subscriptions/" + subscription.id() + "/deliveries?status=failed").then().statusCode(200)
                .body("", hasSize(1)).body("[0].eventId", equalTo(failed)).body("[0].status", equalTo("failed"))
                .body("[0].lastStatus", equalTo(500));
        var attempts = admin().get("/api/v1/event-subscriptions/" + subscription.id() + "/attempts").then().statusCode(200)
                .extract().jsonPath();
        assertThat(attempts.getList("outcome", String.class)).first().isEqualTo("delivered");
        assertThat(attempts.getList("outcome", String.class)).contains("failed", "retrying");
        assertThat(attempts.getList("findAll { it.outcome == 'retrying' }.nextAttemptAt", String.class)).doesNotContainNull();
        assertThat(attempts.getList("findAll { it.outcome == 'failed' }.httpStatus", Integer.class)).containsOnly(500);
        admin().get("/api/v1/event-subscriptions/" + subscription.id()).then().statusCode(200)
                .body("deliveries.failed", equalTo(1)).body("deliveries.delivered", equalTo(1)).body("deliveries.pending", equalTo(0));

        // The replay: the same event, id and payload, signed anew.
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + failed + "/redeliver").then().statusCode(202)
                .body("eventId", equalTo(failed)).body("deliveries[0].status", equalTo("pending"));
        List<Delivery> replayed = receiver.awaitAccepted(2);
        assertThat(replayed.get(1).eventId()).isEqualTo(failed);
        assertThat(replayed.get(1).sequence()).isEqualTo(1);
        assertThat(EventReceiver.verify(replayed.get(1).signatureHeader(), replayed.get(1).body(), subscription.secret(), Duration.ofMinutes(5)))
                .isTrue();
    }

    @Test
    void aRotatedSecretSignsNextToThePreviousOneDuringTheOverlap() {
        EventReceiver.Subscription subscription = receiver.subscribe("connector.settings_changed");
        String rotated = admin().contentType(ContentType.JSON).body(Map.of("overlap", "PT1H"))
                .post("/api/v1/event-subscriptions/" + subscription.id() + "/rotate-secret").then().statusCode(200)
                .header("Cache-Control", "no-store").body("previousSecretExpiresAt", org.hamcrest.Matchers.notNullValue())
                .extract().path("signingSecret");
        assertThat(rotated).startsWith("scsec_").isNotEqualTo(subscription.secret());
        Flows.consoleSetup();
        Delivery overlapping = receiver.awaitAccepted(1).get(0);
        assertThat(overlapping.signatureHeader().split(",v1=")).hasSize(3);
        assertThat(EventReceiver.verify(overlapping.signatureHeader(), overlapping.body(), subscription.secret(), Duration.ofMinutes(5))).isTrue();
        assertThat(EventReceiver.verify(overlapping.signatureHeader(), overlapping.body(), rotated, Duration.ofMinutes(5))).isTrue();

        String newest = admin().contentType(ContentType.JSON).body(Map.of("overlap", "PT0S"))
                .post("/api/v1/event-subscriptions/" + subscription.id() + "/rotate-secret").then().statusCode(200)
                .body("previousSecretExpiresAt", org.hamcrest.Matchers.nullValue()).extract().path("signingSecret");
        json(Map.of("defaultScope", "read_only")).put("/api/v1/connector").then().statusCode(200);
        Delivery after = receiver.awaitAccepted(2).get(1);
        assertThat(after.signatureHeader().split(",v1=")).hasSize(2);
        assertThat(EventReceiver.verify(after.signatureHeader(), after.body(), newest, Duration.ofMinutes(5))).isTrue();
        assertThat(EventReceiver.verify(after.signatureHeader(), after.body(), rotated, Duration.ofMinutes(5))).isFalse();

        // Stored encrypted, like every other secret; never shown again.
        String stored = Api.dumpTable("event_subscription");
        assertThat(stored).contains("v1:k1:").doesNotContain(newest, rotated, subscription.secret());
        admin().get("/api/v1/event-subscriptions/" + subscription.id()).then().statusCode(200)
                .body("signingSecret", org.hamcrest.Matchers.nullValue()).body("secretLast4", equalTo(newest.substring(newest.length() - 4)));
    }

    @Test
    void metricsCountDeliveriesRetriesAndFailures() {
        receiver.answer(503);
        receiver.subscribe("connector.settings_changed");
        Flows.consoleSetup();
        receiver.await("a retried delivery", r -> r.size() >= 2);
        receiver.answer(204);
        receiver.awaitAccepted(1);
        awaitNoPendingDeliveries();
        String scraped = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scraped).contains("connector_events_pending", "connector_events_delivered_total", "connector_events_retried_total",
                "connector_events_failed_total", "connector_events_delivery_latency_seconds_count",
                "connector_events_attempt_duration_seconds_count");
        assertThat(value(scraped, "connector_events_delivered_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(scraped, "connector_events_retried_total")).isGreaterThanOrEqualTo(1);
    }

    // ---- Stripe's events of connected accounts, forwarded (issue 21) ----

    static final String ACCOUNT = Flows.STRIPE_USER_ID;

    String scrape() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }

    static String installationOf(String partner, String accountId) {
        return Api.queryString("select cast(id as text) from account_connector where partner_id = ? and account_id = ?", partner, accountId);
    }

    static List<Delivery> acceptedAt(String path) {
        return receiver.accepted().stream().filter(d -> d.path().equals(path)).toList();
    }

    /** A Stripe event's data.object as the JSON text Stripe sent it read it. */
    static com.fasterxml.jackson.databind.JsonNode stripeObject(String event) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(event).path("data").path("object");
    }

    @Test
    void stripeEventsOfAConnectedAccountReachTheSubscribersThatAskForThemSignedAttributedAndOnce() throws Exception {
        Flows.consoleSetup();
        Flows.connect(stripe, "se-1");
        String installation = installationOf("default", "se-1");
        EventReceiver.Subscription forwarded = receiver.subscribeToStripe("/stripe", List.of("charge.*", "account.updated"), "stripe.event");
        // A subscriber of every type, as every subscriber before Stripe's events were forwarded: it gets none of them.
        receiver.subscribe("*");
        double unattributedBefore = value(scrape(), "connector_stripe_events_unattributed_total");

        // Stripe sends an event, then again (its retry): kept and forwarded once.
        String succeeded = Webhooks.event("event-charge-succeeded.json", "evt_3ChargeOnce01", ACCOUNT);
        Webhooks.signed(succeeded).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
        Webhooks.signed(succeeded).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("duplicate"));
        // Four copies of another event at the same instant: one is handled, the others wait for it and are duplicates.
        String refunded = Webhooks.event("event-charge-succeeded.json", "evt_3ChargeRacing01", ACCOUNT)
                .replace("\"charge.succeeded\"", "\"charge.refunded\"");
        List<String> results = dev.stripeconnector.support.Concurrently.run(4, i -> Webhooks.signed(refunded).post("/webhooks/stripe")
                .then().statusCode(200).extract().<String>path("result"));
        assertThat(results).containsExactlyInAnyOrder("handled", "duplicate", "duplicate", "duplicate");
        // A type the subscription does not forward: kept in the feed, sent to nobody.
        Webhooks.signed(Webhooks.event("event-customer-created.json", "evt_1CustomerNotWanted", ACCOUNT)).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("handled"));
        // account.updated refreshes the recorded facts; an older one Stripe delivers late is forwarded but does not overwrite them.
        long now = Instant.now().getEpochSecond();
        Webhooks.signed(Webhooks.event("event-account-updated.json", "evt_1AccountUpdatedNew", ACCOUNT, now)).post("/webhooks/stripe")
                .then().statusCode(200).body("result", equalTo("handled"));
        Webhooks.signed(Webhooks.event("event-account-updated.json", "evt_1AccountUpdatedOld", ACCOUNT, now - 60)
                .replace("Roasted Again GmbH", "Stale Name").replace("\"payouts_enabled\": true", "\"payouts_enabled\": false"))
                .post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
        // An account no installation is connected to: acknowledged, dropped, counted once although Stripe sends it twice.
        String stranger = Webhooks.event("event-charge-succeeded.json", "evt_3StrangersCharge", "acct_1NobodyInstalledIt");
        Webhooks.signed(stranger).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("ignored"));
        Webhooks.signed(stranger).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("duplicate"));
        // A signature that does not verify: refused, nothing kept.
        String forged = Webhooks.event("event-charge-succeeded.json", "evt_3ForgedCharge01", ACCOUNT);
        long t = Instant.now().getEpochSecond();
        given().contentType("application/json").header("Stripe-Signature", "t=" + t + ",v1=" + Webhooks.sign("whsec_NotTheEndpoints0001", t, forged))
                .body(forged).post("/webhooks/stripe").then().statusCode(400).contentType("application/problem+json");

        receiver.await("four Stripe events at /stripe", r -> r.stream().filter(d -> d.path().equals("/stripe") && d.accepted()).count() >= 4);
        awaitNoPendingDeliveries();
        List<Delivery> delivered = acceptedAt("/stripe");
        assertThat(delivered).extracting(d -> d.event().path("data").path("stripeEventId").asText())
                .as("each wanted event once, in the order Stripe's events were kept").containsExactly("evt_3ChargeOnce01", "evt_3ChargeRacing01",
                        "evt_1AccountUpdatedNew", "evt_1AccountUpdatedOld");
        assertThat(delivered).extracting(d -> d.event().path("data").path("stripeEventType").asText())
                .containsExactly("charge.succeeded", "charge.refunded", "account.updated", "account.updated");
        // The installation's Stripe events count among themselves; the unwanted customer.created took number 3.
        assertThat(delivered).extracting(Delivery::sequence).containsExactly(1L, 2L, 4L, 5L);
        for (Delivery delivery : delivered) {
            assertThat(delivery.type()).isEqualTo("stripe.event");
            assertThat(delivery.event().path("accountId").asText()).isEqualTo("se-1");
            assertThat(delivery.installationId()).isEqualTo(installation);
            assertThat(delivery.event().path("data").path("stripeUserId").asText()).isEqualTo(ACCOUNT);
            assertThat(delivery.event().path("data").path("livemode").asBoolean(true)).isFalse();
            assertThat(EventReceiver.verify(delivery.signatureHeader(), delivery.body(), forwarded.secret(), Duration.ofMinutes(5)))
                    .as("signed with the subscription's secret, not Stripe's").isTrue();
        }
        // data.object is Stripe's, unchanged: the same JSON, and the very text (escapes and number forms Jackson would rewrite).
        assertThat(delivered.get(0).event().path("data").path("object")).isEqualTo(stripeObject(succeeded));
        assertThat(delivered.get(0).body()).contains("\"note\": \"caf\\u00e9 \\\"special\\\"\"", "\"exchange_rate\": 1.10");
        assertThat(receiver.received().stream().filter(d -> d.path().equals("/hooks")).map(Delivery::type))
                .as("a subscriber of every type that asked for no Stripe event type").doesNotContain("stripe.event");
        assertThat(Api.queryString("select count(*) from webhook_event where event_id = 'evt_3ForgedCharge01'")).isEqualTo("0");

        // The facts of the newest account.updated, without a call to Stripe; the connection as it was.
        api().get("/api/v1/accounts/se-1/connector").then().statusCode(200)
                .body("status", equalTo("connected"))
                .body("connection.account.businessName", equalTo("Roasted Again GmbH"))
                .body("connection.account.chargesEnabled", equalTo(false))
                .body("connection.account.payoutsEnabled", equalTo(true));
        assertThat(stripe.getAllServeEvents()).as("no call to Stripe").isEmpty();

        assertThat(value(scrape(), "connector_stripe_events_unattributed_total") - unattributedBefore).isEqualTo(1.0);

        // The feed lists every kept Stripe event of the account, the unwanted one too; a replay goes where the type is wanted.
        Api.awaitFeedNumbered();
        var feed = api().queryParam("type", "stripe.event").get("/api/v1/events").then().statusCode(200).extract().jsonPath();
        assertThat(feed.getList("items.data.stripeEventId", String.class)).containsExactly("evt_3ChargeOnce01", "evt_3ChargeRacing01",
                "evt_1CustomerNotWanted", "evt_1AccountUpdatedNew", "evt_1AccountUpdatedOld");
        String customerCreated = feed.getString("items[2].id");
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + customerCreated + "/redeliver").then().statusCode(409);
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + feed.getString("items[0].id") + "/redeliver").then().statusCode(202)
                .body("deliveries", hasSize(1));
        receiver.await("the replay at /stripe", r -> r.stream().filter(d -> d.path().equals("/stripe") && d.accepted()).count() >= 5);
        assertThat(acceptedAt("/stripe").get(4).eventId()).isEqualTo(feed.getString("items[0].id"));

        // Once the account deauthorized the platform, its events are no longer this installation's (it keeps the account id
        // for the record; another installation may connect the account next): acknowledged, counted, not forwarded.
        Webhooks.signed(Webhooks.deauthorized()).post("/webhooks/stripe").then().statusCode(200);
        api().get("/api/v1/accounts/se-1/connector").then().statusCode(200).body("status", equalTo("revoked"));
        Webhooks.signed(Webhooks.event("event-charge-succeeded.json", "evt_3AfterRevocation01", ACCOUNT)).post("/webhooks/stripe")
                .then().statusCode(200).body("result", equalTo("ignored"));
        assertThat(value(scrape(), "connector_stripe_events_unattributed_total") - unattributedBefore).isEqualTo(2.0);
        assertThat(Api.queryString("select count(*) from connector_event where payload like '%evt_3AfterRevocation01%'")).isEqualTo("0");
    }

    /**
     * Stripe's objects carry secrets (a PaymentIntent's, SetupIntent's or Checkout Session's client secret, also in a
     * redirect URL, in a nested object and in previous_attributes): none reaches the subscriber, the feed or the
     * database, nor the log; each is "redacted" in place, the rest of the object is Stripe's text, the delivery's
     * signature verifies; an object without a secret is forwarded unchanged.
     */
    @Test
    void theSecretsOfStripesObjectsAreNeitherKeptNorForwardedNorLogged() throws Exception {
        Flows.consoleSetup();
        Flows.connect(stripe, "sec-1");
        EventReceiver.Subscription subscription = receiver.subscribeToStripe("/stripe",
                List.of("payment_intent.*", "setup_intent.*", "checkout.session.completed", "charge.succeeded"), "stripe.event");
        List<String> events = List.of(
                Webhooks.event("event-payment-intent-requires-action.json", "evt_3SecretPiAction01", ACCOUNT),
                Webhooks.event("event-setup-intent-succeeded.json", "evt_1SecretSetup01", ACCOUNT),
                Webhooks.event("event-checkout-session-completed.json", "evt_1SecretCheckout01", ACCOUNT),
                Webhooks.event("event-charge-succeeded.json", "evt_3NoSecretCharge01", ACCOUNT));
        List<String> secrets = new ArrayList<>();
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("[A-Za-z0-9_]+_secret_[A-Za-z0-9]+").matcher(String.join("", events));
        while (secret.find()) {
            secrets.add(secret.group());
        }
        assertThat(secrets).as("the fixtures' secrets: top level, in a URL, nested, previous_attributes").hasSize(6);

        try (LogCapture logs = LogCapture.start(true)) {
            for (String event : events) {
                Webhooks.signed(event).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
            }
            receiver.await("four Stripe events", r -> r.stream().filter(d -> d.path().equals("/stripe") && d.accepted()).count() >= 4);
            awaitNoPendingDeliveries();
            assertThat(logs.entries()).extracting(LogCapture.Entry::text).allSatisfy(line -> assertThat(line).doesNotContain(secrets));
        }

        List<Delivery> delivered = acceptedAt("/stripe");
        assertThat(delivered).extracting(d -> d.event().path("data").path("stripeEventType").asText())
                .containsExactly("payment_intent.requires_action", "setup_intent.succeeded", "checkout.session.completed", "charge.succeeded");
        for (Delivery delivery : delivered) {
            assertThat(delivery.body()).doesNotContain(secrets).doesNotContain("previous_attributes");
            assertThat(EventReceiver.verify(delivery.signatureHeader(), delivery.body(), subscription.secret(), Duration.ofMinutes(5))).isTrue();
        }
        var intent = delivered.get(0).event().path("data").path("object");
        assertThat(intent.path("client_secret").asText()).isEqualTo("redacted");
        assertThat(intent.path("next_action").path("redirect_to_url").path("url").asText()).isEqualTo("https://hooks.stripe.com/3d_secure_2/hosted"
                + "?merchant=" + ACCOUNT + "&payment_intent=pi_3PqRsT2eZvKYlo2C0eFgH789&payment_intent_client_secret=redacted&publishable_key=pk_test_Abc123");
        assertThat(delivered.get(1).event().path("data").path("object").path("client_secret").asText()).isEqualTo("redacted");
        var session = delivered.get(2).event().path("data").path("object");
        assertThat(session.path("client_secret").asText()).isEqualTo("redacted");
        assertThat(session.path("payment_intent").path("client_secret").asText()).as("nested").isEqualTo("redacted");
        // Everything else is Stripe's very text: the object with each secret replaced in place is what arrived.
        String raw = events.get(0).substring(events.get(0).indexOf("\"object\": {", events.get(0).indexOf("\"data\"")) + "\"object\": ".length(),
                events.get(0).indexOf(",\n    \"previous_attributes\""));
        String expected = raw;
        for (String value : secrets) {
            expected = expected.replace(value, "redacted");
        }
        assertThat(delivered.get(0).body()).contains(expected).contains("\"client_secret\": \"redacted\"");
        assertThat(delivered.get(3).event().path("data").path("object")).as("no secret: unchanged").isEqualTo(stripeObject(events.get(3)));
        assertThat(delivered.get(3).body()).contains("\"note\": \"caf\\u00e9 \\\"special\\\"\"", "\"exchange_rate\": 1.10");

        // The database holds none of them; the feed lists what was delivered.
        for (String value : secrets) {
            assertThat(Api.queryString("select count(*) from connector_event where payload like ?", "%" + value + "%")).as(value).isEqualTo("0");
        }
        assertThat(Api.queryString("select count(*) from connector_event where type = 'stripe.event' and payload ~ '[A-Za-z0-9]_secret_[A-Za-z0-9]'"))
                .as("no value of a secret's shape").isEqualTo("0");
        assertThat(Api.queryString("select count(*) from connector_event where type = 'stripe.event' and payload like '%\"redacted\"%'"))
                .isEqualTo("3");
        Api.awaitFeedNumbered();
        assertThat(api().queryParam("type", "stripe.event").get("/api/v1/events").then().statusCode(200).extract().asString())
                .doesNotContain(secrets).contains("payment_intent_client_secret=redacted");
    }

    @Test
    void aStripeEventReachesOnlyTheSubscribersOfThePartnerWhoseEndpointReceivedIt() {
        Flows.consoleSetup();
        Flows.connect(stripe, "iso-1");
        TestPartners.remove("alpha");
        try {
            TestPartners.create("alpha", "stripe.alpha.example");
            String alphaKey = TestPartners.issueKey("alpha", "alpha-admin", "admin");
            dev.stripeconnector.support.PartnerDomains.copyConsoleSetup("alpha");
            String alphaInstallation = dev.stripeconnector.support.PartnerDomains.copyInstallation("alpha", "iso-1");
            String alphaSecret = "whsec_AlphaConsoleSecret0001";
            QuarkusTransaction.requiringNew().run(() -> dev.stripeconnector.connector.ConnectorSettings.of(new PartnerId("alpha"))
                    .rollWebhookSecret(dev.stripeconnector.crypto.Secret.of(alphaSecret), Instant.now(), Instant.now()));
            receiver.subscribeToStripe("/default", List.of("*"), "*");
            var alphaSubscription = TestPartners.withKey(alphaKey).contentType(ContentType.JSON).body(Map.of("url", receiver.url("/alpha"),
                    "eventTypes", List.of("stripe.event"), "stripeEventTypes", List.of("charge.succeeded"))).post("/api/v1/event-subscriptions")
                    .then().statusCode(201).body("stripeEventTypes", equalTo(List.of("charge.succeeded"))).extract().jsonPath();

            // The same Stripe event at alpha's endpoint (its domain, its secret): alpha's installation, alpha's subscriber only.
            String event = Webhooks.event("event-charge-succeeded.json", "evt_3BothPartners01", ACCOUNT);
            long t = Instant.now().getEpochSecond();
            given().contentType("application/json").header("Host", "stripe.alpha.example")
                    .header("Stripe-Signature", "t=" + t + ",v1=" + Webhooks.sign(alphaSecret, t, event)).body(event)
                    .post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
            receiver.await("alpha's delivery", r -> r.stream().anyMatch(d -> d.path().equals("/alpha") && d.accepted()));
            awaitNoPendingDeliveries();
            assertThat(acceptedAt("/default")).as("partner default's subscriber").isEmpty();
            Delivery alpha = acceptedAt("/alpha").get(0);
            assertThat(alpha.installationId()).isEqualTo(alphaInstallation);
            assertThat(EventReceiver.verify(alpha.signatureHeader(), alpha.body(), alphaSubscription.getString("signingSecret"), Duration.ofMinutes(5)))
                    .isTrue();

            // Partner default's own copy at its own endpoint: its own installation and subscriber; alpha's gets nothing more.
            Webhooks.signed(event).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
            receiver.await("default's delivery", r -> r.stream().anyMatch(d -> d.path().equals("/default") && d.accepted()));
            awaitNoPendingDeliveries();
            assertThat(acceptedAt("/default")).singleElement().extracting(Delivery::installationId).isEqualTo(installationOf("default", "iso-1"));
            assertThat(acceptedAt("/alpha")).hasSize(1);
        } finally {
            TestPartners.remove("alpha");
        }
    }

    @Test
    void aDatabaseFailureAnswersStripe503AndKeepsNothingSoItsRetryIsDeliveredOnce() {
        Flows.consoleSetup();
        Flows.connect(stripe, "db-1");
        receiver.subscribeToStripe("/stripe", List.of("charge.succeeded"), "stripe.event");
        // The database fails after the event's id was claimed, as a database that went away would (SQLSTATE 57P03).
        Api.update("""
                create or replace function fail_stripe_event() returns trigger language plpgsql as $$
                begin
                  raise exception 'the database is not available (the test)' using errcode = '57P03';
                end $$""");
        Api.update("create trigger fail_stripe_event before insert on connector_event for each row when (new.type = 'stripe.event')"
                + " execute function fail_stripe_event()");
        String event = Webhooks.event("event-charge-succeeded.json", "evt_3DatabaseDown01", ACCOUNT);
        try {
            Webhooks.signed(event).post("/webhooks/stripe").then().statusCode(503).contentType("application/problem+json");
        } finally {
            Api.update("drop trigger fail_stripe_event on connector_event");
            Api.update("drop function fail_stripe_event()");
        }
        assertThat(Api.queryString("select count(*) from webhook_event where event_id = 'evt_3DatabaseDown01'")).as("no claim kept").isEqualTo("0");
        assertThat(Api.queryString("select count(*) from connector_event where type = 'stripe.event'")).isEqualTo("0");

        // Stripe's retry: kept and delivered, once.
        Webhooks.signed(event).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
        receiver.awaitAccepted(1);
        awaitNoPendingDeliveries();
        assertThat(acceptedAt("/stripe")).singleElement().extracting(d -> d.event().path("data").path("stripeEventId").asText())
                .isEqualTo("evt_3DatabaseDown01");
    }

    static double value(String scraped, String metric) {
        return scraped.lines().filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "{"))
                .mapToDouble(PrometheusText::value).sum();
    }

    /**
     * A receiver's answer is judged by its status line, whatever its body: a 200 followed by a body without
     * end is delivered (read up to a bound, then the connection closed), a 500 with 5 MB is a 500, a 200 that
     * breaks off in its body is a 200, a connection reset before any answer is a reset connection, an answer
     * later than the request timeout is no answer in time (whichever of the two timers of the same length
     * fires first); and none of them writes an ERROR to the log.
     */
    @Test
    void anAnswersStatusDecidesWhateverItsBodyAndNothingIsLoggedAsAnError() throws Exception {
        try (EndlessBody endless = EndlessBody.start(); EventReceiver large = EventReceiver.start(); EventReceiver broken = EventReceiver.start();
             EventReceiver reset = EventReceiver.start(); EventReceiver slow = EventReceiver.start();
             LogCapture logs = LogCapture.start(false)) {
            large.server().resetAll();
            large.server().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody(new byte[5 * 1024 * 1024])));
            broken.server().resetAll();
            broken.server().stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
            reset.server().resetAll();
            reset.server().stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            // A 204 a second after the test settings' request timeout (2 s).
            slow.server().resetAll();
            slow.server().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204).withFixedDelay(3000)));
            Map<String, String> subscriptions = new LinkedHashMap<>();
            subscriptions.put("endless", EventReceiver.subscribeUrl(endless.url(), "connector.settings_changed").id());
            subscriptions.put("large", large.subscribe("connector.settings_changed").id());
            subscriptions.put("broken", broken.subscribe("connector.settings_changed").id());
            subscriptions.put("reset", reset.subscribe("connector.settings_changed").id());
            subscriptions.put("slow", slow.subscribe("connector.settings_changed").id());
            Flows.consoleSetup();

            Map<String, io.restassured.path.json.JsonPath> first = new LinkedHashMap<>();
            Instant deadline = Instant.now().plusSeconds(20);
            for (Map.Entry<String, String> subscription : subscriptions.entrySet()) {
                io.restassured.path.json.JsonPath attempts;
                while ((attempts = admin().get("/api/v1/event-subscriptions/" + subscription.getValue() + "/attempts").then().statusCode(200)
                        .extract().jsonPath()).getList("").isEmpty()) {
                    assertThat(Instant.now()).as("an attempt to the " + subscription.getKey() + " receiver").isBefore(deadline);
                    EventReceiver.pause(50);
                }
                first.put(subscription.getKey(), attempts);
            }
            assertThat(first.get("endless").getString("[-1].outcome")).isEqualTo("delivered");
            assertThat(first.get("endless").getInt("[-1].httpStatus")).isEqualTo(200);
            assertThat(endless.awaitCut()).as("the bytes it wrote before the connection was closed: the body was not read to its end")
                    .isLessThan(EndlessBody.AT_MOST);
            assertThat(first.get("large").getString("[-1].outcome")).isEqualTo("retrying");
            assertThat(first.get("large").getInt("[-1].httpStatus")).isEqualTo(500);
            assertThat(first.get("large").getString("[-1].error")).isEqualTo("answered HTTP 500");
            assertThat(first.get("broken").getString("[-1].outcome")).isEqualTo("delivered");
            assertThat(first.get("broken").getInt("[-1].httpStatus")).isEqualTo(200);
            assertThat(first.get("reset").getString("[-1].outcome")).isEqualTo("retrying");
            assertThat(first.get("reset").getString("[-1].httpStatus")).isNull();
            assertThat(first.get("reset").getString("[-1].error")).isEqualTo("the receiver reset the connection");
            assertThat(first.get("slow").getString("[-1].outcome")).isEqualTo("retrying");
            assertThat(first.get("slow").getString("[-1].httpStatus")).isNull();
            assertThat(first.get("slow").getString("[-1].error")).isEqualTo("no answer within 2000 ms");
            // The retried ones go on meanwhile; none of their attempts logs an error either.
            large.await("a retry", r -> r.size() >= 2);
            assertThat(logs.entries()).filteredOn(LogCapture.Entry::isError).extracting(LogCapture.Entry::text).isEmpty();
        }
    }

    /**
     * A receiver that answers 200 and then a body without end (chunked, bounded at {@link #AT_MOST} bytes), until
     * the connection is closed: a plain JDK server on 127.0.0.1.
     */
    static final class EndlessBody implements AutoCloseable {
        static final long AT_MOST = 1L << 30;

        private final HttpServer server;
        private final java.util.concurrent.CompletableFuture<Long> cut = new java.util.concurrent.CompletableFuture<>();

        private EndlessBody(HttpServer server) {
            this.server = server;
        }

        static EndlessBody start() throws java.io.IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            EndlessBody endless = new EndlessBody(server);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            byte[] chunk = new byte[64 * 1024];
            server.createContext("/", exchange -> {
                long written = 0;
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(200, 0);
                    while (written < AT_MOST) {
                        exchange.getResponseBody().write(chunk);
                        written += chunk.length;
                    }
                } catch (java.io.IOException closed) {
                    // The other side closed the connection: what was written until then is the answer.
                } finally {
                    endless.cut.complete(written);
                }
            });
            server.start();
            return endless;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        /** How many bytes of body it wrote before its connection was closed (waiting, bounded, for the first request to end). */
        long awaitCut() throws Exception {
            return cut.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
