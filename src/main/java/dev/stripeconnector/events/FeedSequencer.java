package dev.stripeconnector.events;

import dev.stripeconnector.common.DatabaseFailures;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.common.StatementFailed;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gives committed events their place in their partner's feed. Each partner's feed has its own
 * positions, 1, 2, 3… ({@code partner_feed} holds the last one given, so numbers never repeat when old
 * events are purged): a shared numbering would let a partner read another's activity from its gaps.
 * The outbox writes an event without a feed position (so event-writing transactions never wait for
 * each other); the sequencer then numbers the committed events that have none, one partner at a time,
 * each in one short transaction under the outbox's advisory lock. Runs are therefore one at a time
 * across every replica, and a reader of a partner's feed only ever sees the positions of committed
 * runs, each above every position of that partner before it: a reader paging by position never skips
 * an event.
 *
 * <p>It runs on a virtual thread of its own, at once after a transaction of this replica wrote events
 * (commits arriving meanwhile share the next run), and every poll interval for events whose replica
 * stopped between their commit and their run.
 *
 * <p>The lock is the one pods of earlier versions take: those before this sequencer in each event-writing
 * transaction, from their position until their commit; those before partners in each run of their own
 * sequencer, which numbers from the shared sequence {@code connector_event_position_seq}. During a
 * rolling update their positions and the sequencer's runs still follow each other in commit order; the
 * sequencer leaves their events (already positioned) alone and numbers a partner's next events above
 * the highest position the partner's feed holds, whoever gave it.
 */
@ApplicationScoped
public class FeedSequencer {

    private static final Logger LOG = Logger.getLogger(FeedSequencer.class);
    /** The most events one run numbers; a longer backlog takes more runs, at once. */
    static final int BATCH = 1000;
    /**
     * Numbers a partner's waiting events: read after the outbox's lock is held (each statement reads what committed
     * before it), numbered in the order read. The last position is the partner's row, or higher where a pod of an
     * earlier version numbered the partner's events from the shared sequence during a rolling update (a read of the
     * index that leads with the partner id). Parameters: the partner, the batch, the partner three times.
     */
    private static final String NUMBER = """
            with unnumbered as materialized (
                select id, row_number() over (order by created_at, stream_id, sequence_number) as place
                from (select id, created_at, stream_id, sequence_number from connector_event
                      where partner_id = ? and feed_position is null
                      order by created_at, stream_id, sequence_number
                      limit ?) oldest),
            last as materialized (
                select greatest((select last_position from partner_feed where partner_id = ?),
                                (select max(feed_position) from connector_event where partner_id = ?), 0) as position),
            feed as (
                insert into partner_feed (partner_id, last_position)
                select ?, last.position + (select count(*) from unnumbered) from last
                where exists (select 1 from unnumbered)
                on conflict (partner_id) do update set last_position = excluded.last_position)
            update connector_event c set feed_position = last.position + unnumbered.place
            from unnumbered, last where c.id = unnumbered.id""";

    private final TransactionSynchronizationRegistry transactions;
    private final EventsConfig config;
    private final AgroalDataSource dataSource;
    private final Wakeup wakeup = new Wakeup();
    private volatile boolean running;
    private Thread loop;
    private boolean databaseDown;
    /** The partners whose numbering failed and has not succeeded since (each reported once). */
    private final Set<PartnerId> failing = ConcurrentHashMap.newKeySet();

    public FeedSequencer(TransactionSynchronizationRegistry transactions, EventsConfig config, AgroalDataSource dataSource) {
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        running = true;
        loop = Thread.ofVirtual().name("event-feed-sequencer").start(this::run);
    }

    /** Numbers what is left before the replica stops, so that no event waits for another replica (or a rollback) for its position. */
    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        wakeup.nudge();
        try {
            if (loop != null) {
                loop.join(Duration.ofSeconds(2));
            }
            sequenceAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException failure) {
            trouble(failure);
        }
    }

    /** Runs the sequencer once the current transaction has committed (not if it rolls back). */
    void afterCommit() {
        wakeup.nudgeAfterCommit(transactions);
    }

    private void run() {
        // Events a stopped replica left unnumbered are picked up at start.
        boolean signalled = true;
        while (running) {
            try {
                if (signalled || anyUnnumbered()) {
                    sequenceAll();
                }
                recovered();
            } catch (RuntimeException failure) {
                trouble(failure);
            }
            try {
                signalled = wakeup.await(config.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs until no committed event waits for its position (a backlog takes one run a batch). Each partner
     * is numbered in runs of its own, so a partner whose numbering fails leaves the other partners' feeds
     * going (and is reported once, not at every poll, until it recovers).
     */
    void sequenceAll() {
        for (PartnerId partner : waiting()) {
            try {
                while (sequence(partner) == BATCH) {
                    // The next batch at once.
                }
                if (failing.remove(partner)) {
                    LOG.infof("Numbering partner %s's events for its feed resumed", partner);
                }
            } catch (RuntimeException failure) {
                if (DatabaseFailures.isUnavailable(failure)) {
                    throw failure;
                }
                if (failing.add(partner)) {
                    LOG.errorf(failure, "Numbering partner %s's events for its feed failed; the other partners' feeds go on, and it is"
                            + " tried again every poll interval", partner);
                }
            }
        }
    }

    /** Whether a committed event waits for its position (a read on the partial index, without the lock). */
    boolean anyUnnumbered() {
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("select exists (select 1 from connector_event where feed_position is null)")) {
            row.next();
            return row.getBoolean(1);
        } catch (SQLException e) {
            throw new StatementFailed("Whether events wait for their feed positions could not be read", e);
        }
    }

    /** The partners with committed events waiting for their positions (a read on the partial index, without the lock). */
    List<PartnerId> waiting() {
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("select distinct partner_id from connector_event where feed_position is null")) {
            List<PartnerId> partners = new ArrayList<>();
            while (row.next()) {
                partners.add(new PartnerId(row.getString(1)));
            }
            return partners;
        } catch (SQLException e) {
            throw new StatementFailed("The partners whose events wait for their feed positions could not be read", e);
        }
    }

    /**
     * One run for one partner: under the outbox's lock, numbers up to {@link #BATCH} of the partner's
     * committed events without a position, oldest first (an installation's events were written one after
     * the other, so they keep their order), from the partner's last position on; the partner's row in
     * {@code partner_feed} is created with its first event. Answers how many it numbered. One transaction of
     * the connection's own (plain statements: it runs after every commit that wrote events).
     */
    public int sequence(PartnerId partner) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, EventOutbox.OUTBOX_LOCK);
                    lock.execute();
                }
                int numbered;
                try (PreparedStatement number = connection.prepareStatement(NUMBER)) {
                    number.setString(1, partner.value());
                    number.setInt(2, BATCH);
                    number.setString(3, partner.value());
                    number.setString(4, partner.value());
                    number.setString(5, partner.value());
                    numbered = number.executeUpdate();
                }
                connection.commit();
                return numbered;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StatementFailed("Partner " + partner + "'s events could not be numbered for its feed", e);
        }
    }

    private void trouble(RuntimeException failure) {
        if (DatabaseFailures.isUnavailable(failure)) {
            if (!databaseDown) {
                databaseDown = true;
                LOG.warn("Numbering events for the feed paused: the database cannot be reached; it resumes when it is back");
            }
            return;
        }
        LOG.error("Numbering events for the feed failed unexpectedly; it carries on", failure);
    }

    private void recovered() {
        if (databaseDown) {
            databaseDown = false;
            LOG.info("Numbering events for the feed resumed: the database is back");
        }
    }
}
