package dev.stripeconnector.events;

import static dev.stripeconnector.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.TestPartners;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed's guarantee without a lock on the writers: events get their position from the sequencer
 * after commit, and a reader paging with {@code after=} while writers commit in any order still reads
 * every event once, in increasing positions and each installation's in sequence order. Events written
 * by pods of the previous version (positioned under the lock) keep their positions.
 */
@QuarkusTest
class FeedOrderTest {

    @Inject
    EventOutbox outbox;

    @Inject
    FeedSequencer sequencer;

    @BeforeEach
    @AfterEach
    void fresh() {
        Api.resetDatabase();
    }

    /** Writes one event of {@code stream} in a transaction that waits {@code beforeCommit} after writing it, as a slow change would. */
    UUID write(UUID stream, Duration beforeCommit) {
        return write(PartnerId.DEFAULT, stream, beforeCommit);
    }

    UUID write(PartnerId partner, UUID stream, Duration beforeCommit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UUID id = outbox.record(partner, EventType.INSTALLATION_REFRESHED, "feed-" + stream.toString().substring(0, 8), stream,
                    Event.EventData.installation("connected", "connected", null, null, null, null, null));
            Thread.sleep(beforeCommit.toMillis());
            return id;
        });
    }

    @Test
    void aReaderPagingWhileWritersCommitInAnyOrderReadsEveryEventOfItsPartnerOnceInOrder() throws Exception {
        TestPartners.remove("acme");
        try {
            // Two partners' readers, each with its own partner's key: partner default's, and acme's (whose feed starts here).
            String acme = TestPartners.createWithKey("acme", "api");
            Map<PartnerId, Supplier<RequestSpecification>> readers = Map.of(PartnerId.DEFAULT, Api::api,
                    new PartnerId("acme"), () -> TestPartners.withKey(acme));
            readWhileWritersCommitInAnyOrder(readers);
        } finally {
            TestPartners.remove("acme");
        }
    }

    void readWhileWritersCommitInAnyOrder(Map<PartnerId, Supplier<RequestSpecification>> readers) throws Exception {
        int writers = 8;
        int eachWrites = 12;
        // Two writers share each stream (they wait for each other on the stream's row), so streams see contention too; the streams
        // alternate between the partners, so their events interleave.
        List<UUID> streams = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<PartnerId> partners = List.copyOf(readers.keySet());
        Map<PartnerId, Set<UUID>> written = new ConcurrentHashMap<>();
        partners.forEach(partner -> written.put(partner, ConcurrentHashMap.newKeySet()));
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            UUID stream = streams.get(w % streams.size());
            PartnerId partner = partners.get(w % streams.size() % partners.size());
            running.add(pool.submit(() -> {
                for (int i = 0; i < eachWrites; i++) {
                    // Positions taken at write time would now be committed out of order: 0 to 40 ms between the write and the commit.
                    written.get(partner).add(write(partner, stream, Duration.ofMillis(ThreadLocalRandom.current().nextInt(41))));
                }
                return null;
            }));
        }

        Map<PartnerId, List<String>> read = new HashMap<>();
        Map<PartnerId, String> after = new HashMap<>();
        partners.forEach(partner -> read.put(partner, new ArrayList<>()));
        boolean writersDone = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            assertThat(System.nanoTime()).as("the readers caught up within a minute").isLessThan(deadline);
            boolean settled = writersDone && !unnumberedEvents();
            boolean anyRead = false;
            for (PartnerId partner : partners) {
                JsonPath page = page(readers.get(partner).get(), after.get(partner));
                List<String> ids = page.getList("items.id", String.class);
                read.get(partner).addAll(ids);
                after.put(partner, page.getString("nextCursor"));
                anyRead |= !ids.isEmpty();
            }
            if (settled && !anyRead) {
                break;
            }
            writersDone = running.stream().allMatch(Future::isDone);
            Thread.sleep(anyRead ? 0 : 5);
        }
        for (Future<?> writer : running) {
            writer.get();
        }
        pool.shutdown();

        Map<String, long[]> stored = positionsAndSequences();
        for (PartnerId partner : partners) {
            List<String> theirs = read.get(partner);
            assertThat(written.get(partner)).hasSize(writers / partners.size() * eachWrites);
            assertThat(theirs).as(partner + ": every event of its own read once").doesNotHaveDuplicates().hasSameSizeAs(written.get(partner));
            assertThat(theirs.stream().map(UUID::fromString).toList()).containsExactlyInAnyOrderElementsOf(written.get(partner));

            List<Long> positions = theirs.stream().map(id -> stored.get(id)[0]).toList();
            assertThat(positions).as(partner + "'s feed positions, as read").isSorted().doesNotHaveDuplicates();
            assertThat(positions.get(positions.size() - 1) - positions.get(0) + 1).as(partner + "'s positions without gaps")
                    .isEqualTo(positions.size());
            if (!partner.isDefault()) {
                assertThat(positions.get(0)).as("a new partner's feed starts at 1").isEqualTo(1);
            }
            Map<String, List<Long>> sequencesAsRead = new HashMap<>();
            for (String id : theirs) {
                sequencesAsRead.computeIfAbsent(Api.queryString("select stream_id from connector_event where id = ?::uuid", id),
                        s -> new ArrayList<>()).add(stored.get(id)[1]);
            }
            for (List<Long> sequences : sequencesAsRead.values()) {
                List<Long> expected = new ArrayList<>();
                for (long n = 1; n <= sequences.size(); n++) {
                    expected.add(n);
                }
                assertThat(sequences).as("an installation's events in the feed: 1, 2, 3… without gaps").isEqualTo(expected);
            }
        }
    }

    @Test
    void anEventWrittenFirstAndCommittedLastFollowsWhatTheReaderAlreadyRead() throws Exception {
        ExecutorService slow = Executors.newSingleThreadExecutor();
        try {
            // Written first, committed last: its transaction stays open while another commits and is read.
            Future<UUID> first = slow.submit(() -> write(UUID.randomUUID(), Duration.ofMillis(1500)));
            awaitTrue(() -> "1".equals(Api.queryString("select count(*) from pg_stat_activity where state = 'idle in transaction'"
                    + " and query like '%connector_event%'")));
            UUID second = write(UUID.randomUUID(), Duration.ZERO);
            awaitTrue(() -> page(null).getList("items.id", String.class).contains(second.toString()));
            JsonPath read = page(null);
            assertThat(read.getList("items.id", String.class)).containsExactly(second.toString());

            UUID late = first.get();
            awaitTrue(() -> !unnumberedEvents());
            assertThat(page(read.getString("nextCursor")).getList("items.id", String.class))
                    .as("a reader that went on from what it had read").containsExactly(late.toString());
        } finally {
            slow.shutdownNow();
        }
    }

    @Test
    void writersDoNotWaitForTheSequencerAndAReaderAfterAnUnnumberedEventWaitsForIt() throws Exception {
        UUID first = write(UUID.randomUUID(), Duration.ZERO);
        awaitTrue(() -> !unnumberedEvents());
        try (Connection sequencerBusy = PostgresResource.connection(); Statement s = sequencerBusy.createStatement()) {
            // As if a sequencer run (of any replica) held the lock for as long as this block runs.
            s.execute("select pg_advisory_lock(" + EventOutbox.OUTBOX_LOCK + ")");
            try {
                UUID second = write(UUID.randomUUID(), Duration.ZERO);
                assertThat(Api.queryString("select feed_position from connector_event where id = ?::uuid", second.toString()))
                        .as("committed, not numbered yet").isNull();
                JsonPath all = page(null);
                assertThat(all.getList("items.id", String.class)).containsExactly(first.toString());
                // A consumer that had the second event delivered (deliveries do not wait for the feed) and reads on from it.
                JsonPath fromSecond = page(second.toString());
                assertThat(fromSecond.getList("items", Object.class)).isEmpty();
                assertThat(fromSecond.getBoolean("hasMore")).isFalse();
                assertThat(fromSecond.getString("nextCursor")).isEqualTo(second.toString());
                api().get("/api/v1/events/" + second).then().statusCode(200);
            } finally {
                s.execute("select pg_advisory_unlock(" + EventOutbox.OUTBOX_LOCK + ")");
            }
        }
        awaitTrue(() -> page(null).getList("items.id", String.class).size() == 2);
    }

    @Test
    void eventsPositionedByThePreviousVersionKeepTheirPositions() throws Exception {
        UUID stream = UUID.randomUUID();
        UUID written = write(stream, Duration.ZERO);
        awaitTrue(() -> !unnumberedEvents());
        // A pod of the previous version: the lock, the stream's next number, a position, the row, in one transaction.
        String old = UUID.randomUUID().toString();
        long oldPosition;
        try (Connection previous = PostgresResource.connection()) {
            previous.setAutoCommit(false);
            try (Statement s = previous.createStatement()) {
                s.execute("select pg_advisory_xact_lock(" + EventOutbox.OUTBOX_LOCK + ")");
                s.execute("update event_stream set last_sequence = last_sequence + 1 where stream_id = '" + stream + "'");
                // The shared sequence runs ahead of partner default's positions: the previous versions took a number of it for
                // each event's deliveries as well as for its position.
                try (ResultSet rs = s.executeQuery("select setval('connector_event_position_seq', greatest("
                        + "(select max(feed_position) from connector_event), 0) + 10)")) {
                    rs.next();
                    oldPosition = rs.getLong(1);
                }
                String payload = "{\"id\":\"" + old + "\",\"type\":\"installation.refreshed\",\"version\":1,\"createdAt\":\"2026-11-29T19:20:39.699857Z\","
                        + "\"accountId\":\"feed-old\",\"installationId\":\"" + stream + "\",\"sequence\":2,"
                        + "\"data\":{\"status\":\"connected\",\"previousStatus\":\"connected\"}}";
                s.execute("insert into connector_event (id, feed_position, type, account_id, installation_id, stream_id, sequence_number,"
                        + " payload, created_at) values ('" + old + "', " + oldPosition + ", 'installation.refreshed', 'feed-old', '" + stream
                        + "', '" + stream + "', 2, '" + payload + "', clock_timestamp())");
            }
            previous.commit();
        }
        UUID later = write(stream, Duration.ZERO);
        sequencer.sequenceAll();
        awaitTrue(() -> !unnumberedEvents());

        Map<String, long[]> stored = positionsAndSequences();
        assertThat(stored.get(old)[0]).as("the previous version's position, untouched").isEqualTo(oldPosition);
        assertThat(stored.get(written.toString())[0]).isLessThan(oldPosition);
        assertThat(stored.get(later.toString())[0]).isGreaterThan(oldPosition);
        assertThat(stored.get(later.toString())[1]).isEqualTo(3);
        assertThat(page(null).getList("items.id", String.class)).containsExactly(written.toString(), old, later.toString());
    }

    JsonPath page(String after) {
        return page(api(), after);
    }

    static JsonPath page(RequestSpecification reader, String after) {
        var request = reader.queryParam("limit", 200);
        if (after != null) {
            request = request.queryParam("after", after);
        }
        return request.get("/api/v1/events").then().statusCode(200).extract().jsonPath();
    }

    static boolean unnumberedEvents() {
        return !"0".equals(Api.queryString("select count(*) from connector_event where feed_position is null"));
    }

    /** Each event's feed position and sequence number, by id. */
    static Map<String, long[]> positionsAndSequences() throws SQLException {
        Map<String, long[]> stored = new HashMap<>();
        try (Connection c = PostgresResource.connection();
             PreparedStatement s = c.prepareStatement("select id, feed_position, sequence_number from connector_event");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                stored.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        return stored;
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
