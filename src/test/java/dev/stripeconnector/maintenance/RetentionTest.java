package dev.stripeconnector.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every log-like table is bounded: with the clock moved past each retention, the purge deletes
 * exactly the rows that are old enough, in batches, one replica at a time.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    RetentionPurge purge;

    Instant now;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        for (String table : List.of("credential_read", "webhook_event", "authorization_request", "sign_in_attempt", "audit_record")) {
            Api.update("delete from " + table);
        }
        now = Instant.now();
    }

    @AfterEach
    void realClock() {
        QuarkusMock.installMockForType(new ServiceClock(), ServiceClock.class);
    }

    /** The service's clock, moved {@code ahead} into the future. */
    void moveClock(Duration ahead) {
        Instant moved = now.plus(ahead);
        QuarkusMock.installMockForType(new ServiceClock() {
            @Override
            public Instant now() {
                return moved;
            }
        }, ServiceClock.class);
    }

    void seed() {
        Api.update("insert into credential_read (id, account_id, api_key_name, read_at)"
                + " select gen_random_uuid(), 'a', 'reader', case when n <= 2400 then ?::timestamptz else ?::timestamptz end from generate_series(1, 2500) n",
                java.sql.Timestamp.from(now.minus(Duration.ofDays(100))), java.sql.Timestamp.from(now.minus(Duration.ofDays(10))));
        Api.update("insert into webhook_event (event_id, type, received_at) values ('evt_old', 'x', ?), ('evt_new', 'x', ?)",
                java.sql.Timestamp.from(now.minus(Duration.ofDays(8))), java.sql.Timestamp.from(now.minus(Duration.ofDays(2))));
        Api.update("insert into sign_in_attempt (subject, failures, window_started_at, locked_until) values"
                        + " ('old', 1, ?, null), ('locked', 5, ?, ?)",
                java.sql.Timestamp.from(now.minus(Duration.ofDays(2))), java.sql.Timestamp.from(now.minus(Duration.ofDays(2))),
                java.sql.Timestamp.from(now.plus(Duration.ofMinutes(10))));
        // The audit trail: kept 400 days (connector.retention.audit).
        Api.update("insert into audit_record (id, partner_id, occurred_at, actor_kind, actor_name, action) values"
                        + " (gen_random_uuid(), 'default', ?, 'key', 'admin', 'connector.update'),"
                        + " (gen_random_uuid(), 'default', ?, 'key', 'admin', 'connector.update')",
                java.sql.Timestamp.from(now.minus(Duration.ofDays(401))), java.sql.Timestamp.from(now.minus(Duration.ofDays(399))));
    }

    @Test
    void thePurgeDeletesWhatIsPastItsRetentionAndNothingElse() {
        seed();
        Map<String, Long> deleted = purge.purge().orElseThrow();
        assertThat(deleted).containsEntry("credential_read", 2400L).containsEntry("webhook_event", 1L).containsEntry("sign_in_attempt", 1L)
                .containsEntry("audit_record", 1L);
        assertThat(Api.queryString("select count(*) from audit_record where occurred_at > now() - interval '400 days'")).isEqualTo("1");
        assertThat(Api.queryString("select count(*) from credential_read")).isEqualTo("100");
        assertThat(Api.queryString("select string_agg(event_id, ',') from webhook_event")).isEqualTo("evt_new");
        assertThat(Api.queryString("select string_agg(subject, ',') from sign_in_attempt")).isEqualTo("locked");

        // A hundred days on, the rest has aged out too.
        moveClock(Duration.ofDays(100));
        assertThat(purge.purge().orElseThrow()).containsEntry("credential_read", 100L).containsEntry("webhook_event", 1L)
                .containsEntry("sign_in_attempt", 1L);
        assertThat(Api.queryString("select count(*) from credential_read")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from audit_record")).isEqualTo("0");
    }

    @Test
    void authorizationRequestsGoADayAfterBothTheirLinkAndTheirStateExpired() {
        dev.stripeconnector.support.Flows.consoleSetup();
        dev.stripeconnector.support.Api.json("{}").put("/api/v1/accounts/ret-1/connector").then().statusCode(201);
        dev.stripeconnector.support.Api.json("{}").post("/api/v1/accounts/ret-1/connector/authorize").then().statusCode(200);
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("1");
        // The state expires in minutes, the link in days (CONNECTOR_INSTALL_LINK_TTL, P7D): the row stays for the link.
        moveClock(Duration.ofDays(2));
        assertThat(purge.purge().orElseThrow()).containsEntry("authorization_request", 0L);
        moveClock(Duration.ofDays(9));
        assertThat(purge.purge().orElseThrow()).containsEntry("authorization_request", 1L);
    }

    @Test
    void eventsAgeOutWithTheirDeliveriesButNeverWhileADeliveryIsStillRetried() {
        dev.stripeconnector.support.Flows.consoleSetup();
        dev.stripeconnector.support.Api.json("{}").put("/api/v1/accounts/ret-ev/connector").then().statusCode(201);
        String subscription = dev.stripeconnector.support.EventReceiver.admin().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("url", "https://events.example.com/hook", "eventTypes", List.of("*")))
                .post("/api/v1/event-subscriptions").then().statusCode(201).extract().path("id");
        // Both events were written 31 days ago; the console's delivery has failed, the installation's is still being retried
        // (not due for a year: the worker leaves it alone here), with an attempt 31 days ago and one yesterday.
        Api.update("update connector_event set created_at = created_at - interval '31 days'");
        Api.update("insert into event_delivery (id, subscription_id, event_id, stream_id, feed_position, status, attempts, next_attempt_at,"
                + " give_up_at, created_at) select gen_random_uuid(), ?::uuid, e.id, e.stream_id, e.feed_position,"
                + " case when e.type = 'connector.settings_changed' then 'FAILED' else 'PENDING' end, 2, now() + interval '365 days',"
                + " now() + interval '365 days', e.created_at from connector_event e", subscription);
        Api.update("insert into event_delivery_attempt (id, delivery_id, subscription_id, event_id, attempt, attempted_at, duration_ms, outcome)"
                + " select gen_random_uuid(), d.id, d.subscription_id, d.event_id, n, now() - make_interval(days => 61 - n * 30), 5, 'RETRYING'"
                + " from event_delivery d, generate_series(1, 2) n where d.status = 'PENDING'");

        Map<String, Long> deleted = purge.purge().orElseThrow();
        assertThat(deleted).containsEntry("connector_event", 1L).containsEntry("event_delivery_attempt", 1L);
        assertThat(Api.queryString("select string_agg(type, ',') from connector_event")).isEqualTo("installation.created");
        assertThat(Api.queryString("select count(*) from event_delivery where subscription_id = ?::uuid", subscription)).isEqualTo("1");
        assertThat(Api.queryString("select count(*) from event_delivery_attempt")).isEqualTo("1");

        // Once its delivery has ended (delivered here), the old event goes too; its stream keeps counting.
        Api.update("update event_delivery set status = 'DELIVERED'");
        assertThat(purge.purge().orElseThrow()).containsEntry("connector_event", 1L);
        assertThat(Api.queryString("select count(*) from event_delivery")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from event_delivery_attempt")).as("attempts go with their delivery").isEqualTo("0");
        assertThat(Api.queryString("select count(*) from event_stream")).isEqualTo("2");
    }

    @Test
    void whileAnotherReplicaPurgesThisOneSkipsItsRound() throws Exception {
        seed();
        try (java.sql.Connection other = dev.stripeconnector.support.PostgresResource.connection();
             java.sql.Statement replica = other.createStatement()) {
            replica.execute("select pg_advisory_lock(" + RetentionPurge.LOCK + ")");
            assertThat(purge.purge()).isEmpty();
            assertThat(Api.queryString("select count(*) from credential_read")).isEqualTo("2500");
            replica.execute("select pg_advisory_unlock(" + RetentionPurge.LOCK + ")");
        }
        assertThat(purge.purge()).isPresent();
    }

    @Test
    void replicasPurgingTogetherDeleteEachRowOnce() throws Exception {
        seed();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<java.util.Optional<Map<String, Long>>>> replicas = List.of(purge::purge, purge::purge, purge::purge, purge::purge);
            long total = 0;
            int ran = 0;
            for (Future<java.util.Optional<Map<String, Long>>> outcome : pool.invokeAll(replicas)) {
                if (outcome.get().isPresent()) {
                    ran++;
                    total += outcome.get().get().get("credential_read");
                }
            }
            assertThat(ran).isPositive();
            assertThat(total).as("each old row deleted once, whichever replica ran").isEqualTo(2400L);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void thePurgeCanBeRunNowThroughTheApiWithTheAdminRole() {
        seed();
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + TestKeys.API_KEY).post("/api/v1/maintenance/purge")
                .then().statusCode(403);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).post("/api/v1/maintenance/purge")
                .then().statusCode(200).body("ran", org.hamcrest.Matchers.equalTo(true))
                .body("deleted.credential_read", org.hamcrest.Matchers.equalTo(2400));
    }
}
