package dev.stripeconnector.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Concurrently;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.HangingReceiver;
import dev.stripeconnector.support.OwnDatabase;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.ServiceHost;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged application on one PostgreSQL, as a Deployment runs them: nothing
 * that matters lives in one replica's memory, replicas that start together on an empty database
 * apply each migration once, and both delivery workers together deliver each event once.
 */
class MultiReplicaIT {

    /**
     * The key of the PostgreSQL advisory lock Flyway (12) takes around each migration: a fixed number plus the
     * hash of the schema history table's quoted name (PostgreSQLAdvisoryLockTemplate, PostgreSQLConnection).
     */
    static final long FLYWAY_LOCK = 77431708279161L + "\"public\".\"flyway_schema_history\"".hashCode();
    static final Pattern MIGRATING = Pattern.compile("Migrating schema \\S+ to version \\\\?\"(\\d+) - ");

    /** The request timeout of both replicas: longer than any wait of the tests, so a hanging receiver hangs throughout. */
    static final Duration HANGING_FOR = Duration.ofMinutes(3);
    /** How many deliveries each replica makes at once to one subscription (CONNECTOR_EVENTS_CONCURRENCY's default). */
    static final int SHARE = 8;

    static WireMockServer stripe;
    /** A database of its own, created empty, so the replicas' start is the first migration. */
    static OwnDatabase database;
    static String jdbcUrl;
    static PackagedApp a;
    static PackagedApp b;
    /** What the two replicas' start showed: each migration version, and which replica applied it. */
    static List<String> appliedByA;
    static List<String> appliedByB;
    static Duration lockHeld;

    @BeforeAll
    static void twoReplicasStartingTogetherOnAnEmptyDatabase() throws Exception {
        ServiceHost.install();
        database = OwnDatabase.create("replicas");
        jdbcUrl = database.jdbcUrl();
        stripe = StripeStubs.newServer();
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL", stripe.baseUrl());
        env.put("QUARKUS_REST_CLIENT_STRIPE_API_URL", stripe.baseUrl());
        // The pool deploy/ gives each pod (the connection budget, docs/operations.md), so the races below run with it.
        env.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", Manifests.configMap().getData().get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE"));
        // The event receiver is WireMock on this machine; both workers look for due deliveries often.
        env.put("CONNECTOR_EVENTS_ALLOWED_HOSTS", "127.0.0.1");
        env.put("CONNECTOR_EVENTS_POLL_INTERVAL", "PT0.2S");
        // A receiver that hangs holds each attempt this long: longer than the isolation test waits for the other receiver.
        env.put("CONNECTOR_EVENTS_REQUEST_TIMEOUT", HANGING_FOR.toString());

        // Hold Flyway's lock while both replicas start, as two pods of a rollout that reach their migrations at the
        // same moment; release it once both are waiting for it, so they contend for every migration.
        try (Connection holder = connection()) {
            try (PreparedStatement lock = holder.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, FLYWAY_LOCK);
                lock.execute();
            }
            Instant locked = Instant.now();
            a = PackagedApp.start(env, PackagedApp.freePort());
            b = PackagedApp.start(env, PackagedApp.freePort());
            awaitBothWaitingForTheMigrationLock(holder, Duration.ofSeconds(120));
            try (PreparedStatement unlock = holder.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, FLYWAY_LOCK);
                unlock.execute();
            }
            lockHeld = Duration.between(locked, Instant.now());
        }
        a.awaitReady(Duration.ofSeconds(120));
        b.awaitReady(Duration.ofSeconds(120));
        appliedByA = applied(a.log());
        appliedByB = applied(b.log());
    }

    /** Both replicas' Flyway sessions are in the database, trying the advisory lock (it retries once a second). */
    static void awaitBothWaitingForTheMigrationLock(Connection holder, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String waiting = "select count(distinct pid) from pg_stat_activity where datname = current_database()"
                + " and pid <> pg_backend_pid() and query ilike '%pg_try_advisory%" + FLYWAY_LOCK + "%'";
        while (!"2".equals(query(holder, waiting))) {
            if (!"0".equals(query(holder, "select count(*) from pg_tables where tablename = 'account_connector'"))) {
                throw new AssertionError("A replica migrated while the test held what it takes for Flyway's lock: Flyway no longer"
                        + " locks with FLYWAY_LOCK (see PostgreSQLAdvisoryLockTemplate of the Flyway version in use)");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The two replicas did not both reach Flyway's lock within " + timeout
                        + " (sessions trying it: " + query(holder, waiting) + ")\n--- a:\n" + a.log() + "\n--- b:\n" + b.log());
            }
            Thread.sleep(200);
        }
    }

    /** The migration versions a replica's log says it applied ("Migrating schema ... to version ..."). */
    static List<String> applied(String log) {
        List<String> versions = new java.util.ArrayList<>();
        Matcher matcher = MIGRATING.matcher(log);
        while (matcher.find()) {
            versions.add(matcher.group(1));
        }
        return versions;
    }

    /** The versions of src/main/resources/db/migration, from the file names (V4__... is "4"). */
    static List<String> migrationVersions() throws Exception {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            if (stripe != null) {
                stripe.stop();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    static Connection connection() throws SQLException {
        return database.connection();
    }

    static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void update(String... statements) {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void fresh() {
        update("delete from event_subscription", "delete from connector_event", "delete from event_stream",
                "delete from account_connector",
                "update connector_settings set client_id = null, client_secret = null, default_scope = null, account_type = null, updated_at = null",
                "delete from webhook_event");
        stripe.resetAll();
        api(a).contentType(ContentType.JSON)
                .body(Map.of("clientId", "ca_PlatformClient42", "clientSecret", "sk_test_PlatformSecret9999"))
                .put("/api/v1/connector").then().statusCode(200);
    }

    static RequestSpecification api(PackagedApp replica) {
        return given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY);
    }

    /** Install on one replica, authorize on the other, complete the callback on the first. */
    static String connectAcrossReplicas(String accountId) {
        api(b).contentType(ContentType.JSON).body(Map.of("name", "Replica shop")).put("/api/v1/accounts/" + accountId + "/connector")
                .then().statusCode(201);
        Map<String, Object> links = api(a).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/accounts/" + accountId + "/connector/authorize").then().statusCode(200).extract().jsonPath().getMap("");
        String toStripe = given().baseUri(b.baseUrl()).redirects().follow(false)
                .get(URI.create((String) links.get("setupUrl")).getPath()).then().statusCode(302).extract().header("Location");
        assertThat(toStripe).isEqualTo(links.get("authorizeUrl"));
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        given().baseUri(a.baseUrl()).redirects().follow(false)
                .queryParam("code", "ac_Replicas1").queryParam("state", StripeStubs.param(toStripe, "state"))
                .get("/connector/callback").then().statusCode(200);
        return URI.create((String) links.get("setupUrl")).getPath();
    }

    @Test
    void replicasStartingTogetherApplyEachMigrationOnce() throws Exception {
        List<String> versions = migrationVersions();
        assertThat(versions).as("the migrations in src/main/resources/db/migration").isNotEmpty();
        // The schema history: one successful row per version, whoever applied it.
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version, success from flyway_schema_history where version is not null order by installed_rank")) {
            while (rs.next()) {
                assertThat(rs.getBoolean("success")).as("version " + rs.getString("version")).isTrue();
                rows.add(rs.getString("version"));
            }
        }
        assertThat(rows).as("flyway_schema_history: exactly one row per migration").containsExactlyElementsOf(versions);
        // The logs: the two replicas applied them between them, each version once (Flyway locks around each
        // migration, so one replica may apply V1 and the other V2); neither failed.
        List<String> both = new java.util.ArrayList<>(appliedByA);
        both.addAll(appliedByB);
        assertThat(both).as("versions applied: by a " + appliedByA + ", by b " + appliedByB + " (lock held " + lockHeld.toMillis() + " ms)")
                .containsExactlyInAnyOrderElementsOf(versions);
        for (PackagedApp replica : List.of(a, b)) {
            assertThat(replica.log()).doesNotContain("Migration of").doesNotContain("Unable to acquire PostgreSQL advisory lock");
        }
        System.out.println("MultiReplicaIT: Flyway's lock held " + lockHeld.toMillis() + " ms; applied by a " + appliedByA
                + ", by b " + appliedByB);
    }

    @Test
    void anAuthorizationStartedOnOneReplicaCompletesOnTheOther() {
        String setupPath = connectAcrossReplicas("replica-1");
        stripe.verify(1, tokenRequests());
        for (PackagedApp replica : List.of(a, b)) {
            api(replica).get("/api/v1/accounts/replica-1/connector").then()
                    .statusCode(200)
                    .body("status", equalTo("connected"))
                    .body("connection.stripeUserId", equalTo("acct_1ConnectedAcct0001"));
        }
        // The setup link was used on b: a knows it too.
        given().baseUri(a.baseUrl()).redirects().follow(false).get(setupPath).then().statusCode(410);
    }

    @Test
    void concurrentRefreshesOnBothReplicasMakeOneTokenRequest() throws Exception {
        connectAcrossReplicas("replica-2");
        stripe.resetAll();
        stripe.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withFixedDelay(400)
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fixture("token-refreshed.json"))));
        List<Response> responses = Concurrently.run(20,
                caller -> api(caller % 2 == 0 ? a : b).post("/api/v1/accounts/replica-2/connector/refresh"));
        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).as(response.asString()).isEqualTo(200));
        List<String> refreshedAt = responses.stream().map(r -> r.jsonPath().getString("connection.tokensRefreshedAt")).toList();
        assertThat(refreshedAt).doesNotContainNull().containsOnly(refreshedAt.get(0));
        stripe.verify(1, tokenRequests());
    }

    @Test
    void aWebhookReceivedByEitherReplicaChangesWhatBothReport() {
        connectAcrossReplicas("replica-3");
        Webhooks.signed(Webhooks.deauthorized()).baseUri(b.baseUrl()).post("/webhooks/stripe").then().statusCode(200);
        for (PackagedApp replica : List.of(a, b)) {
            api(replica).get("/api/v1/accounts/replica-3/connector").then().body("status", equalTo("revoked"));
        }
        // The same event delivered to the other replica is recognised as a duplicate.
        Webhooks.signed(Webhooks.deauthorized()).baseUri(a.baseUrl()).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("duplicate"));
    }

    static RequestSpecification admin(PackagedApp replica) {
        return given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + TestKeys.OPS_API_KEY);
    }

    /** The replica's count of a metric, from its management port (0 before the first). */
    static double metric(PackagedApp replica, String name) {
        String text = given().baseUri(replica.managementUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(dev.stripeconnector.support.PrometheusText::value).sum();
    }

    @Test
    void bothReplicasDeliverEachEventOnceAndEachInstallationsEventsInOrder() throws Exception {
        try (EventReceiver receiver = EventReceiver.start()) {
            String secret = admin(b).contentType(ContentType.JSON).body(Map.of("url", receiver.url("/hooks"), "eventTypes", List.of("*")))
                    .post("/api/v1/event-subscriptions").then().statusCode(201).extract().path("signingSecret");
            double deliveredBefore = metric(a, "connector_events_delivered_total") + metric(b, "connector_events_delivered_total");

            // Twelve installations changed at the same time on both replicas: installed on one, an override set on the other
            // and cleared on the first; three events each, written by both replicas, claimed by both workers.
            int installations = 12;
            Concurrently.run(installations, i -> {
                PackagedApp one = i % 2 == 0 ? a : b;
                PackagedApp other = one == a ? b : a;
                String path = "/api/v1/accounts/replica-ev-" + i + "/connector";
                api(one).contentType(ContentType.JSON).body(Map.of("name", "Shop " + i)).put(path).then().statusCode(201);
                api(other).contentType(ContentType.JSON).body(Map.of("clientId", "ca_OwnPlatform" + i)).put(path).then().statusCode(200);
                Map<String, Object> clear = new java.util.HashMap<>();
                clear.put("clientId", null);
                return api(one).contentType(ContentType.JSON).body(clear).put(path).then().statusCode(200).extract().response();
            });
            int events = installations * 3;
            receiver.await(events + " events", r -> r.stream().map(EventReceiver.Delivery::eventId).distinct().count() >= events,
                    Duration.ofSeconds(60));
            // Leave time for a duplicate to show up, were one replica to deliver what the other did.
            Thread.sleep(2000);

            List<EventReceiver.Delivery> received = receiver.received();
            Map<String, Long> timesReceived = received.stream()
                    .collect(java.util.stream.Collectors.groupingBy(EventReceiver.Delivery::eventId, java.util.stream.Collectors.counting()));
            assertThat(timesReceived).hasSize(events);
            assertThat(timesReceived.values()).as("each event id received once").containsOnly(1L);
            assertThat(received).allSatisfy(d -> {
                assertThat(d.event().path("id").asText()).isEqualTo(d.eventId());
                assertThat(EventReceiver.verify(d.signatureHeader(), d.body(), secret, Duration.ofMinutes(5))).as("signature").isTrue();
            });
            Map<String, List<Long>> sequences = new java.util.LinkedHashMap<>();
            received.forEach(d -> sequences.computeIfAbsent(d.installationId(), k -> new java.util.ArrayList<>()).add(d.sequence()));
            assertThat(sequences).hasSize(installations);
            assertThat(sequences.values()).as("each installation's events in the order they were written")
                    .allSatisfy(order -> assertThat(order).containsExactly(1L, 2L, 3L));
            try (Connection c = connection()) {
                assertThat(query(c, "select count(*) from event_delivery where status = 'DELIVERED' and attempts = 1"))
                        .as("every delivery claimed once, by one replica").isEqualTo(String.valueOf(events));
            }
            // No OTLP endpoint: tracing is off for the service's own spans too, so no delivery carries a trace context
            // and no exemplar on the delivery counter names a trace no one could look up.
            assertThat(received).extracting(EventReceiver.Delivery::traceparent).containsOnlyNulls();
            for (PackagedApp replica : List.of(a, b)) {
                assertThat(given().baseUri(replica.managementUrl()).get("/q/metrics").then().statusCode(200).extract().asString())
                        .contains("connector_events_delivered_total").doesNotContain("trace_id=");
            }
            try (Connection c = connection()) {
                assertThat(query(c, "select count(*) from connector_event where trace_parent is not null")).isEqualTo("0");
            }
            double deliveredByA = metric(a, "connector_events_delivered_total");
            double deliveredByB = metric(b, "connector_events_delivered_total");
            assertThat(deliveredByA + deliveredByB - deliveredBefore).isEqualTo(events);
            System.out.println("MultiReplicaIT: " + events + " events delivered once each; by a " + deliveredByA + ", by b " + deliveredByB);
        }
    }

    /**
     * A receiver that hangs until the test releases it holds up only its own deliveries, on both replicas:
     * it gets as many at once as each replica's share for it and no more, while every event for a healthy
     * receiver arrives before the release. (Were the places shared between receivers, the hanging one would
     * take them all until the request timeout, longer than the wait here, and the healthy one would get nothing.)
     */
    @Test
    void aHangingReceiverHoldsUpOnlyItsOwnDeliveriesOnEitherReplica() throws Exception {
        try (HangingReceiver hanging = HangingReceiver.start(); EventReceiver healthy = EventReceiver.start()) {
            String hangingId = admin(a).contentType(ContentType.JSON).body(Map.of("url", hanging.url("/hooks"), "eventTypes", List.of("*")))
                    .post("/api/v1/event-subscriptions").then().statusCode(201).extract().path("id");
            // More installations than both replicas' shares together: some of the hanging receiver's deliveries wait for a place.
            int beyondShares = 4;
            int installations = 2 * SHARE + beyondShares;
            for (int i = 0; i < installations; i++) {
                api(i % 2 == 0 ? a : b).contentType(ContentType.JSON).body(Map.of("name", "Hung " + i))
                        .put("/api/v1/accounts/hung-" + i + "/connector").then().statusCode(201);
            }
            hanging.awaitHeld(2 * SHARE, Duration.ofSeconds(60));

            admin(b).contentType(ContentType.JSON).body(Map.of("url", healthy.url("/hooks"), "eventTypes", List.of("*")))
                    .post("/api/v1/event-subscriptions").then().statusCode(201);
            int changes = 12;
            for (int i = 0; i < changes; i++) {
                api(i % 2 == 0 ? b : a).contentType(ContentType.JSON).body(Map.of("name", "Healthy " + i))
                        .put("/api/v1/accounts/healthy-" + i + "/connector").then().statusCode(201);
            }
            healthy.await(changes + " events while the other receiver hangs", r -> r.stream().filter(EventReceiver.Delivery::accepted)
                    .count() >= changes, Duration.ofSeconds(60));

            assertThat(hanging.held()).as("the hanging receiver still holds each replica's share, and got no more").isEqualTo(2 * SHARE);
            assertThat(hanging.received()).hasSize(2 * SHARE);
            try (Connection c = connection()) {
                assertThat(query(c, "select count(*) from event_delivery_attempt where subscription_id = '" + hangingId + "'"))
                        .as("no attempt to the hanging receiver ended before its release").isEqualTo("0");
            }

            hanging.release();
            try (Connection c = connection()) {
                Instant deadline = Instant.now().plusSeconds(60);
                while (!"0".equals(query(c, "select count(*) from event_delivery where status <> 'DELIVERED'"))) {
                    assertThat(Instant.now()).as("every delivery made once the receiver answers").isBefore(deadline);
                    Thread.sleep(100);
                }
            }
            assertThat(hanging.received()).as("each event once, the held ones answered rather than sent again")
                    .hasSize(installations + changes).doesNotHaveDuplicates();
            assertThat(healthy.received()).hasSize(changes);
        }
    }
}
