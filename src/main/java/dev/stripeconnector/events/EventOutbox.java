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
 * <p>Each event gets the next sequence number of its stream (the installation, or the console setup):
 * the stream's row in {@code event_stream} stays locked until commit, so one stream's events are
 * written one after the other, gap-free and in commit order. It gets no position in the feed here:
 * {@link FeedSequencer} numbers it once it committed, so event-writing transactions of different
 * streams never wait for each other.
 */
@ApplicationScoped
public class EventOutbox {

    /** The console setup's stream. */
    public static final UUID CONSOLE_STREAM = new UUID(0, 0);
    /**
     * The feed's transaction-level advisory lock (PostgreSQL), "SCEVENTS" in ASCII: held by each run of
     * the {@link FeedSequencer}, and by each event-writing transaction of the previous version.
     */
    static final long OUTBOX_LOCK = 0x5343_4556_454e_5453L;

    private final ObjectMapper json;
    private final EventsConfig config;
    private final DeliverySignal signal;
    private final FeedSequencer sequencer;

    public EventOutbox(ObjectMapper json, EventsConfig config, DeliverySignal signal, FeedSequencer sequencer) {
        this.json = json;
        this.config = config;
        this.signal = signal;
        this.sequencer = sequencer;
    }

    /**
     * Writes an event of an installation ({@code installationId} and {@code accountId}) or of the
     * console setup (both null) in the caller's transaction, and queues it for the subscriptions that
     * receive its type. Call it last in the transaction: it locks the stream's row until commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID record(EventType type, String accountId, UUID installationId, Event.EventData data) {
        EntityManager em = ConnectorEvent.getEntityManager();
        em.flush();
        UUID stream = installationId != null ? installationId : CONSOLE_STREAM;
        // The stream's next number, and (taken once its row is locked, so it grows with the stream's sequence) the number
        // pods of the previous version order a stream's deliveries by (event_delivery.feed_position) during a rollout.
        Object[] numbers = (Object[]) em.createNativeQuery("""
                insert into event_stream (stream_id, last_sequence) values (:stream, 1)
                on conflict (stream_id) do update set last_sequence = event_stream.last_sequence + 1
                returning last_sequence, nextval('connector_event_position_seq'), clock_timestamp()
                """).setParameter("stream", stream).getSingleResult();
        long sequence = ((Number) numbers[0]).longValue();
        long deliveryOrder = ((Number) numbers[1]).longValue();
        Instant createdAt = DeliveryQueue.instant(numbers[2]);

        UUID id = UUID.randomUUID();
        String payload = payload(new Event(id.toString(), type.json(), Event.VERSION, createdAt.toString(), accountId,
                installationId == null ? null : installationId.toString(), sequence, data));
        // The event and its deliveries in one round trip (the foreign key is checked at the end of the statement).
        int queued = em.createNativeQuery("""
                with event as (
                    insert into connector_event (id, type, account_id, installation_id, stream_id, sequence_number, payload, created_at)
                    values (:id, :type, :accountId, :installationId, :stream, :sequence, :payload, :createdAt))
                insert into event_delivery (id, subscription_id, event_id, stream_id, feed_position, status, attempts, next_attempt_at,
                                            give_up_at, created_at)
                select gen_random_uuid(), s.id, :id, :stream, :deliveryOrder, 'PENDING', 0, cast(:createdAt as timestamptz),
                       cast(:createdAt as timestamptz) + make_interval(secs => cast(:retryFor as double precision)),
                       cast(:createdAt as timestamptz)
                from event_subscription s
                where s.event_types = '*' or position(',' || cast(:type as text) || ',' in ',' || s.event_types || ',') > 0
                """)
                .setParameter("id", id).setParameter("type", type.json())
                .setParameter("accountId", accountId).setParameter("installationId", installationId).setParameter("stream", stream)
                .setParameter("sequence", sequence).setParameter("payload", payload).setParameter("createdAt", createdAt)
                .setParameter("deliveryOrder", deliveryOrder).setParameter("retryFor", (double) config.retryFor().toMillis() / 1000)
                .executeUpdate();
        sequencer.afterCommit();
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
