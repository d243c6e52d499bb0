package dev.stripeconnector.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.observability.TraceContexts;
import dev.stripeconnector.partner.PartnerId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox: an event is written in the transaction of the change it describes, so it
 * exists exactly when the change committed, with one pending delivery per subscription that wants its
 * type. Nothing is sent from here; the delivery worker sends what committed.
 *
 * <p>Every event is a partner's: the partner of the installation, or of the console setup, it is about.
 * Only that partner's subscriptions receive it, and it is listed in that partner's feed only.
 *
 * <p>Each event gets the next sequence number of its stream (the installation, or the partner's console
 * setup): the stream's row in {@code event_stream} stays locked until commit, so one stream's events are
 * written one after the other, gap-free and in commit order. It gets no position in the feed here:
 * {@link FeedSequencer} numbers it once it committed, so event-writing transactions of different
 * streams never wait for each other.
 */
@ApplicationScoped
public class EventOutbox {

    /** Partner default's console setup's stream (the one stream of the console before partners). */
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
     * Writes an event of {@code partner}'s installation ({@code installationId} and {@code accountId}) or
     * console setup (both null) in the caller's transaction, and queues it for the partner's subscriptions
     * that receive its type. Call it last in the transaction: it locks the stream's row until commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID record(PartnerId partner, EventType type, String accountId, UUID installationId, Event.EventData data) {
        return write(partner, type, accountId, installationId, installationId != null ? installationId : consoleStream(partner), null, data);
    }

    /**
     * Writes a {@code stripe.event} of {@code partner}'s installation in the caller's transaction: Stripe's event of
     * type {@code stripeType} about its connected account. It is queued for the partner's subscriptions that take
     * stripe.event and whose Stripe event types match {@code stripeType} (none for a subscription that named none).
     * It is numbered in a stream of its own per installation ({@link #stripeStream}), so the installation's own events
     * keep their numbers without gaps for a subscriber of every type, and ordered among the installation's other
     * Stripe events. Call it last in the transaction, like {@link #record}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID forward(PartnerId partner, String accountId, UUID installationId, String stripeType, Event.EventData data) {
        return write(partner, EventType.STRIPE_EVENT, accountId, installationId, stripeStream(installationId), stripeType, data);
    }

    private UUID write(PartnerId partner, EventType type, String accountId, UUID installationId, UUID stream, String stripeType,
                       Event.EventData data) {
        EntityManager em = ConnectorEvent.getEntityManager();
        em.flush();
        // Stripe's events go to the subscriptions whose patterns match, decided here (a partner has few subscriptions).
        String forwardTo = "";
        if (stripeType != null) {
            @SuppressWarnings("unchecked")
            List<Object[]> subscriptions = em.createNativeQuery("""
                    select id, event_types, stripe_event_types from event_subscription
                    where partner_id = :partner and stripe_event_types is not null""")
                    .setParameter("partner", partner.value()).getResultList();
            forwardTo = String.join(",", StripeEventTypes.forwarding(subscriptions, stripeType).stream().map(UUID::toString).toList());
        }
        Object[] numbers = (Object[]) em.createNativeQuery("""
                insert into event_stream (stream_id, partner_id, last_sequence) values (:stream, :partner, 1)
                on conflict (stream_id) do update set last_sequence = event_stream.last_sequence + 1
                returning last_sequence, clock_timestamp()
                """).setParameter("stream", stream).setParameter("partner", partner.value()).getSingleResult();
        long sequence = ((Number) numbers[0]).longValue();
        Instant createdAt = DeliveryQueue.instant(numbers[1]);

        UUID id = UUID.randomUUID();
        String payload = payload(new Event(id.toString(), type.json(), Event.VERSION, createdAt.toString(), accountId,
                installationId == null ? null : installationId.toString(), sequence, data));
        // The event and its deliveries in one round trip (the foreign key is checked at the end of the statement). A delivery's
        // feed_position only has to grow with the stream's sequence (see EventDelivery.feedPosition): the sequence number does.
        int queued = em.createNativeQuery("""
                with event as (
                    insert into connector_event (id, partner_id, type, account_id, installation_id, stream_id, sequence_number, payload,
                                                 created_at, stripe_event_type, trace_parent)
                    values (:id, :partner, :type, :accountId, :installationId, :stream, :sequence, :payload, :createdAt, :stripeType,
                            :traceParent))
                insert into event_delivery (id, partner_id, subscription_id, event_id, stream_id, feed_position, status, attempts,
                                            next_attempt_at, give_up_at, created_at)
                select gen_random_uuid(), s.partner_id, s.id, :id, :stream, :sequence, 'PENDING', 0, cast(:createdAt as timestamptz),
                       cast(:createdAt as timestamptz) + make_interval(secs => cast(:retryFor as double precision)),
                       cast(:createdAt as timestamptz)
                from event_subscription s
                where s.partner_id = :partner
                  and (s.event_types = '*' or position(',' || cast(:type as text) || ',' in ',' || s.event_types || ',') > 0)
                  and (not :filtered or position(',' || cast(s.id as text) || ',' in ',' || cast(:forwardTo as text) || ',') > 0)
                """)
                .setParameter("id", id).setParameter("partner", partner.value()).setParameter("type", type.json())
                .setParameter("accountId", accountId).setParameter("installationId", installationId).setParameter("stream", stream)
                .setParameter("sequence", sequence).setParameter("payload", payload).setParameter("createdAt", createdAt)
                .setParameter("stripeType", stripeType).setParameter("filtered", stripeType != null)
                .setParameter("forwardTo", forwardTo)
                // The change's trace, which the event's deliveries join (null with tracing off).
                .setParameter("traceParent", TraceContexts.current())
                .setParameter("retryFor", (double) config.retryFor().toMillis() / 1000)
                .executeUpdate();
        sequencer.afterCommit();
        if (queued > 0) {
            signal.afterCommit();
        }
        return id;
    }

    /**
     * The stream of a partner's console setup: partner default's is the one stream the console had before
     * partners (its numbers go on); every other partner's is a fixed id named after the partner, so that its
     * numbers start at 1 and tell nothing of another partner's changes.
     */
    static UUID consoleStream(PartnerId partner) {
        return partner.isDefault() ? CONSOLE_STREAM
                : UUID.nameUUIDFromBytes(("console-setup:" + partner.value()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The stream of an installation's Stripe events: a fixed id named after the installation, so that they are
     * numbered 1, 2, 3… among themselves and delivered in order, apart from the installation's own events.
     */
    static UUID stripeStream(UUID installationId) {
        return UUID.nameUUIDFromBytes(("stripe-events:" + installationId).getBytes(StandardCharsets.UTF_8));
    }

    private String payload(Event event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event could not be written as JSON", e);
        }
    }
}
