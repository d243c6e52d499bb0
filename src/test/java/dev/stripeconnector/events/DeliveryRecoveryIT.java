package dev.stripeconnector.events;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.EventReceiver.Delivery;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.OwnDatabase;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.ServiceHost;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries outlive the process that queued them, on the packaged application: a delivery pending
 * for a receiver that is down survives a restart of the service and arrives once the receiver is
 * back; a service killed after sending an event but before recording the receiver's answer sends it
 * again once the claim's lease lapses, with the same event id, so the receiver drops the duplicate.
 *
 * <p>Each test has a database of its own: the instances it starts are the only replicas that can claim its
 * deliveries, so every attempt counted is one of theirs.
 */
class DeliveryRecoveryIT {

    static WireMockServer stripe;
    OwnDatabase database;

    @BeforeAll
    static void resources() {
        ServiceHost.install();
        stripe = StripeStubs.newServer();
    }

    @AfterAll
    static void cleanUp() {
        stripe.stop();
    }

    @BeforeEach
    void emptyDatabase() {
        database = OwnDatabase.create("recovery");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    /** Production settings on this test's database, with receivers on this machine allowed and retries in a fraction of a second. */
    PackagedApp start() throws Exception {
        Map<String, String> env = PackagedApp.deliveringEnvironment(database.jdbcUrl(), stripe.baseUrl());
        env.put("CONNECTOR_EVENTS_MAX_RETRY_INTERVAL", "PT1S");
        // A claim's lease is twice this: how long a crashed replica's delivery waits before another attempt.
        env.put("CONNECTOR_EVENTS_REQUEST_TIMEOUT", "PT5S");
        return PackagedApp.start(env, PackagedApp.freePort()).awaitReady(Duration.ofSeconds(90));
    }

    static RequestSpecification api(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY).contentType(ContentType.JSON);
    }

    static String subscribe(PackagedApp app, String url, String... types) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).contentType(ContentType.JSON)
                .body(Map.of("url", url, "eventTypes", List.of(types))).post("/api/v1/event-subscriptions").then().statusCode(201)
                .extract().path("signingSecret");
    }

    /** Waits (bounded) until a query of the database answers {@code expected}. */
    void awaitDatabase(String what, String sql, String expected, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!expected.equals(database.queryString(sql))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": expected " + expected + ", found " + database.queryString(sql) + "\n"
                        + database.dumpTable("event_delivery") + database.dumpTable("event_delivery_attempt"));
            }
            EventReceiver.pause(100);
        }
    }

    @Test
    void aDeliveryPendingForADownReceiverSurvivesARestartAndArrivesInOrder() throws Exception {
        int port = PackagedApp.freePort();
        String secret;
        try (PackagedApp first = start()) {
            secret = subscribe(first, "http://127.0.0.1:" + port + "/hooks", "*");
            api(first).body(Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET)).put("/api/v1/connector").then().statusCode(200);
            api(first).body(Map.of("name", "Restart shop")).put("/api/v1/accounts/restart-1/connector").then().statusCode(201);
            api(first).body(Map.of("clientId", "ca_RestartOwnPlatform1")).put("/api/v1/accounts/restart-1/connector").then().statusCode(200);
            awaitDatabase("attempts refused by the receiver that is down",
                    "select count(*) > 0 from event_delivery_attempt where error like 'the connection was refused%'", "t", Duration.ofSeconds(30));
        }
        assertThat(database.queryString("select count(*) from event_delivery where status = 'PENDING'")).isEqualTo("3");

        try (PackagedApp second = start()) {
            // The restarted service takes the deliveries up again, still failing while the receiver is down...
            long refusedBefore = Long.parseLong(database.queryString("select count(*) from event_delivery_attempt"));
            awaitDatabase("an attempt of the restarted service", "select count(*) > " + refusedBefore + " from event_delivery_attempt",
                    "t", Duration.ofSeconds(30));
            // ...and the receiver comes back where the subscription points.
            try (EventReceiver receiver = EventReceiver.start(port)) {
                List<Delivery> received = receiver.awaitAccepted(3);
                awaitDatabase("every delivery made", "select count(*) from event_delivery where status = 'DELIVERED'", "3", Duration.ofSeconds(20));
                assertThat(receiver.received()).hasSize(3);
                assertThat(received).allSatisfy(d ->
                        assertThat(EventReceiver.verify(d.signatureHeader(), d.body(), secret, Duration.ofMinutes(5))).isTrue());
                assertThat(received.stream().map(Delivery::type).toList()).containsExactlyInAnyOrder("connector.settings_changed",
                        "installation.created", "installation.credentials_changed");
                assertThat(received.stream().filter(d -> d.installationId() != null).map(Delivery::type).toList())
                        .as("the installation's events in order").containsExactly("installation.created", "installation.credentials_changed");
            }
        }
    }

    @Test
    void aCrashBetweenDeliveryAndAcknowledgementRedeliversTheSameEventAndTheReceiverDropsTheDuplicate() throws Exception {
        try (EventReceiver receiver = EventReceiver.start()) {
            // The receiver takes 3 s to answer: time enough to kill the service after it sent the event.
            receiver.server().resetAll();
            receiver.server().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204).withFixedDelay(3000)));
            PackagedApp first = start();
            String secret;
            try {
                secret = subscribe(first, receiver.url("/hooks"), "installation.created");
                api(first).body(Map.of("name", "Crash shop")).put("/api/v1/accounts/crash-1/connector").then().statusCode(201);
                receiver.await("the first delivery", r -> !r.isEmpty(), Duration.ofSeconds(30));
            } finally {
                first.crash();
            }
            // Sent, never acknowledged: still pending, its claim held by a process that is gone, no attempt recorded.
            assertThat(database.queryString("select status || ' ' || attempts || ' ' || (lease_token is not null) from event_delivery"))
                    .isEqualTo("PENDING 1 true");
            assertThat(database.queryString("select count(*) from event_delivery_attempt")).isEqualTo("0");
            receiver.server().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));

            try (PackagedApp second = start()) {
                awaitDatabase("the delivery made again once the lease lapsed", "select status || ' ' || attempts from event_delivery",
                        "DELIVERED 2", Duration.ofSeconds(40));
            }
            List<Delivery> received = receiver.received();
            assertThat(received).hasSize(2);
            assertThat(received).allSatisfy(d -> {
                assertThat(d.type()).isEqualTo("installation.created");
                assertThat(EventReceiver.verify(d.signatureHeader(), d.body(), secret, Duration.ofMinutes(5))).isTrue();
            });
            assertThat(received.get(0).eventId()).isEqualTo(received.get(1).eventId()).isEqualTo(received.get(0).event().path("id").asText());
            // What a receiver does: act on an event id once.
            HashSet<String> seen = new HashSet<>();
            List<Delivery> acted = received.stream().filter(d -> seen.add(d.eventId())).toList();
            assertThat(acted).hasSize(1);
            // The only attempt recorded is the second one, the redelivery: the first died with its process.
            assertThat(database.queryString("select string_agg(attempt || ' ' || outcome, ', ' order by attempt) from event_delivery_attempt"))
                    .isEqualTo("2 DELIVERED");
        }
    }
}
