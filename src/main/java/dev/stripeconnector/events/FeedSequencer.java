package dev.stripeconnector.events;

import dev.stripeconnector.common.DatabaseFailures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Gives committed events their place in the feed. The outbox writes an event without a feed position
 * (so event-writing transactions never wait for each other); the sequencer then numbers the committed
 * events that have none, in one short transaction under the outbox's advisory lock. Runs are therefore
 * one at a time across every replica, and a reader only ever sees the positions of committed runs,
 * each above every position before it: a reader paging by position never skips an event.
 *
 * <p>It runs on a virtual thread of its own, at once after a transaction of this replica wrote events
 * (commits arriving meanwhile share the next run), and every poll interval for events whose replica
 * stopped between their commit and their run.
 *
 * <p>The lock is the one pods of the previous version take in each event-writing transaction, from their
 * position until their commit: during a rolling update their positions and the sequencer's runs still
 * follow each other in commit order, and the sequencer leaves their events (already positioned) alone.
 */
@ApplicationScoped
public class FeedSequencer {

    private static final Logger LOG = Logger.getLogger(FeedSequencer.class);
    /** The most events one run numbers; a longer backlog takes more runs, at once. */
    static final int BATCH = 1000;

    private final TransactionSynchronizationRegistry transactions;
    private final EventsConfig config;
    private final Wakeup wakeup = new Wakeup();
    private volatile boolean running;
    private Thread loop;
    private boolean databaseDown;

    public FeedSequencer(TransactionSynchronizationRegistry transactions, EventsConfig config) {
        this.transactions = transactions;
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

    /** Runs until no committed event waits for its position (a backlog takes one run a batch). */
    void sequenceAll() {
        while (sequence() == BATCH) {
            // The next batch at once.
        }
    }

    /** Whether a committed event waits for its position (a read on the partial index, without the lock). */
    boolean anyUnnumbered() {
        return QuarkusTransaction.requiringNew().call(() -> (Boolean) ConnectorEvent.getEntityManager()
                .createNativeQuery("select exists (select 1 from connector_event where feed_position is null)").getSingleResult());
    }

    /**
     * One run: under the outbox's lock, numbers up to {@link #BATCH} committed events without a position,
     * oldest first (an installation's events were written one after the other, so they keep their order).
     * Answers how many it numbered.
     */
    public int sequence() {
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = ConnectorEvent.getEntityManager();
            em.createNativeQuery("select 1 from pg_advisory_xact_lock(:key)").setParameter("key", EventOutbox.OUTBOX_LOCK).getSingleResult();
            // Read after the lock is held (each statement reads what committed before it), numbered in the order read.
            return em.createNativeQuery("""
                    with unnumbered as materialized (
                        select id from connector_event where feed_position is null
                        order by created_at, stream_id, sequence_number
                        limit :batch),
                    numbered as materialized (
                        select id, nextval('connector_event_position_seq') as position from unnumbered)
                    update connector_event c set feed_position = numbered.position
                    from numbered where c.id = numbered.id
                    """).setParameter("batch", BATCH).executeUpdate();
        });
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
