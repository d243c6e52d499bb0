package dev.stripeconnector.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * The transactional outbox: an event is written in the transaction of the change it describes, so it
 * exists exactly when the change committed, with one pending delivery per subscription that wants its
 * type. Nothing is sent from here; the delivery worker sends what committed.
 *
 * <p>Each event gets the next sequence number of its stream (the installation, or the console setup)
 * and a position in the feed. Both are assigned while the transaction holds one advisory lock, taken
 * last (after the change's own rows are flushed and locked, so lock order cannot deadlock) and released
 * at commit: positions therefore become visible in order, and a reader paging by position never skips
 * an event that commits later.
 */
@ApplicationScoped
public class EventOutbox {

    /** The console setup's stream. */
    public static final UUID CONSOLE_STREAM = new UUID(0, 0);
    /** The outbox's transaction-level advisory lock (PostgreSQL), "SCEVENTS" in ASCII. */
    static final long OUTBOX_LOCK = 0x5343_4556_454e_5453L;

    private final ObjectMapper json;
    private final EventsConfig config;
    private final DeliverySignal signal;

    public EventOutbox(ObjectMapper json, EventsConfig config, DeliverySignal signal) {
        this.json = json;
        this.config = config;
        this.signal = signal;
    }

    /**
     * Writes an event of an installation ({@code installationId} and {@code accountId}) or of the
     * console setup (both null) in the caller's transaction, and queues it for the subscriptions that
     * receive its type. Call it last in the transaction: it takes the outbox's lock, held until commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID record(EventType type, String accountId, UUID installationId, Event.EventData data) {
        EntityManager em = ConnectorEvent.getEntityManager();
        em.flush();
        em.createNativeQuery("select 1 from pg_advisory_xact_lock(:key)").setParameter("key", OUTBOX_LOCK).getSingleResult();
        UUID stream = installationId != null ? installationId : CONSOLE_STREAM;
        long sequence = ((Number) em.createNativeQuery("""
                insert into event_stream (stream_id, last_sequence) values (:stream, 1)
                on conflict (stream_id) do update set last_sequence = event_stream.last_sequence + 1
                returning last_sequence
                """).setParameter("stream", stream).getSingleResult()).longValue();
        Object[] positionAndTime = (Object[]) em.createNativeQuery(
                "select nextval('connector_event_position_seq'), clock_timestamp()").getSingleResult();
        long position = ((Number) positionAndTime[0]).longValue();
        Instant createdAt = DeliveryQueue.instant(positionAndTime[1]);

        UUID id = UUID.randomUUID();
        String payload = payload(new Event(id.toString(), type.json(), Event.VERSION, createdAt.toString(), accountId,
                installationId == null ? null : installationId.toString(), sequence, data));
        em.createNativeQuery("""
                insert into connector_event (id, feed_position, type, account_id, installation_id, stream_id, sequence_number, payload, created_at)
                values (:id, :position, :type, :accountId, :installationId, :stream, :sequence, :payload, :createdAt)
                """)
                .setParameter("id", id).setParameter("position", position).setParameter("type", type.json())
                .setParameter("accountId", accountId).setParameter("installationId", installationId).setParameter("stream", stream)
                .setParameter("sequence", sequence).setParameter("payload", payload).setParameter("createdAt", createdAt)
                .executeUpdate();
        int queued = em.createNativeQuery("""
                insert into event_delivery (id, subscription_id, event_id, stream_id, feed_position, status, attempts, next_attempt_at,
                                            give_up_at, created_at)
                select gen_random_uuid(), s.id, :id, :stream, :position, 'PENDING', 0, cast(:createdAt as timestamptz),
                       cast(:createdAt as timestamptz) + make_interval(secs => cast(:retryFor as double precision)),
                       cast(:createdAt as timestamptz)
                from event_subscription s
                where s.event_types = '*' or position(',' || cast(:type as text) || ',' in ',' || s.event_types || ',') > 0
                """)
                .setParameter("id", id).setParameter("stream", stream).setParameter("position", position)
                .setParameter("createdAt", createdAt).setParameter("retryFor", (double) config.retryFor().toMillis() / 1000)
                .setParameter("type", type.json())
                .executeUpdate();
        if (queued > 0) {
            signal.afterCommit();
        }
        return id;
    }

    private String payload(Event event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event could not be written as JSON", e);
        }
    }
}
