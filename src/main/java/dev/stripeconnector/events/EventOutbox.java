package dev.stripeconnector.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.observability.TraceContexts;
import dev.stripeconnector.partner.PartnerId;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    /** The subscriptions that may take a partner's Stripe events (their patterns are matched in Java). */
    private static final String FORWARDING_CANDIDATES = """
            select id, event_types, stripe_event_types from event_subscription
            where partner_id = ? and stripe_event_types is not null""";
    /** The stream's next sequence number, its row locked until commit, and the event's time. */
    private static final String NEXT_IN_STREAM = """
            insert into event_stream (stream_id, partner_id, last_sequence) values (?, ?, 1)
            on conflict (stream_id) do update set last_sequence = event_stream.last_sequence + 1
            returning last_sequence, clock_timestamp()""";
    /**
     * The event and its deliveries in one round trip (the foreign key is checked at the end of the statement). A delivery's
     * feed_position only has to grow with the stream's sequence (see EventDelivery.feedPosition): the sequence number does.
     */
    private static final String INSERT = """
            with e as (
                select cast(? as uuid) as id, cast(? as varchar) as partner_id, cast(? as varchar) as type, cast(? as varchar) as account_id,
                       cast(? as uuid) as installation_id, cast(? as uuid) as stream_id, cast(? as bigint) as sequence_number,
                       cast(? as text) as payload, cast(? as timestamptz) as created_at, cast(? as varchar) as stripe_event_type,
                       cast(? as varchar) as trace_parent, cast(? as double precision) as retry_for, cast(? as boolean) as filtered,
                       cast(? as text) as forward_to),
            event as (
                insert into connector_event (id, partner_id, type, account_id, installation_id, stream_id, sequence_number, payload,
                                             created_at, stripe_event_type, trace_parent)
                select id, partner_id, type, account_id, installation_id, stream_id, sequence_number, payload, created_at,
                       stripe_event_type, trace_parent from e)
            insert into event_delivery (id, partner_id, subscription_id, event_id, stream_id, feed_position, status, attempts,
                                        next_attempt_at, give_up_at, created_at)
            select gen_random_uuid(), s.partner_id, s.id, e.id, e.stream_id, e.sequence_number, 'PENDING', 0, e.created_at,
                   e.created_at + make_interval(secs => e.retry_for), e.created_at
            from e join event_subscription s on s.partner_id = e.partner_id
            where (s.event_types = '*' or position(',' || e.type || ',' in ',' || s.event_types || ',') > 0)
              and (not e.filtered or position(',' || cast(s.id as text) || ',' in ',' || e.forward_to || ',') > 0)""";

    private final ObjectMapper json;
    private final EventsConfig config;
    private final DeliverySignal signal;
    private final FeedSequencer sequencer;
    private final AgroalDataSource dataSource;

    public EventOutbox(ObjectMapper json, EventsConfig config, DeliverySignal signal, FeedSequencer sequencer, AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
        this.signal = signal;
        this.sequencer = sequencer;
    }

    /**
     * Writes an event of {@code partner}'s installation ({@code installationId} and {@code accountId}) or
     * console setup (both null) in the caller's transaction, and queues it for the partner's subscriptions
     * that receive its type. Call it last in the transaction: it locks the stream's row until commit. What the
     * transaction changed through entities is flushed first (an event may name a row inserted just before).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID record(PartnerId partner, EventType type, String accountId, UUID installationId, Event.EventData data) {
        ConnectorEvent.getEntityManager().flush();
        return recordWithoutEntities(partner, type, accountId, installationId, data);
    }

    /**
     * {@link #record} for a transaction that changed nothing through entities (plain statements only): there is
     * nothing to flush first, and no Hibernate session is opened for it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID recordWithoutEntities(PartnerId partner, EventType type, String accountId, UUID installationId, Event.EventData data) {
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
        ConnectorEvent.getEntityManager().flush();
        return write(partner, EventType.STRIPE_EVENT, accountId, installationId, stripeStream(installationId), stripeType, data);
    }

    private UUID write(PartnerId partner, EventType type, String accountId, UUID installationId, UUID stream, String stripeType,
                       Event.EventData data) {
        // Plain statements on the transaction's connection: every change of a connection writes one, the OAuth callback
        // included, where Hibernate's handling of three native statements was most of an event's cost while interpreted.
        try (Connection connection = dataSource.getConnection()) {
            // Stripe's events go to the subscriptions whose patterns match, decided here (a partner has few subscriptions).
            String forwardTo = stripeType == null ? ""
                    : String.join(",", StripeEventTypes.forwarding(forwardingCandidates(connection, partner), stripeType).stream()
                            .map(UUID::toString).toList());
            long sequence;
            Instant createdAt;
            try (PreparedStatement next = connection.prepareStatement(NEXT_IN_STREAM)) {
                next.setObject(1, stream);
                next.setString(2, partner.value());
                try (ResultSet row = next.executeQuery()) {
                    row.next();
                    sequence = row.getLong(1);
                    createdAt = row.getObject(2, OffsetDateTime.class).toInstant();
                }
            }
            UUID id = UUID.randomUUID();
            String payload = payload(new Event(id.toString(), type.json(), Event.VERSION, createdAt.toString(), accountId,
                    installationId == null ? null : installationId.toString(), sequence, data));
            int queued;
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                int p = 0;
                insert.setObject(++p, id);
                insert.setString(++p, partner.value());
                insert.setString(++p, type.json());
                insert.setString(++p, accountId);
                insert.setObject(++p, installationId);
                insert.setObject(++p, stream);
                insert.setLong(++p, sequence);
                insert.setString(++p, payload);
                insert.setObject(++p, createdAt.atOffset(ZoneOffset.UTC));
                insert.setString(++p, stripeType);
                // The change's trace, which the event's deliveries join (null with tracing off).
                insert.setString(++p, TraceContexts.current());
                insert.setDouble(++p, (double) config.retryFor().toMillis() / 1000);
                insert.setBoolean(++p, stripeType != null);
                insert.setString(++p, forwardTo);
                queued = insert.executeUpdate();
            }
            sequencer.afterCommit();
            if (queued > 0) {
                signal.afterCommit();
            }
            return id;
        } catch (SQLException e) {
            throw new StatementFailed("The event could not be written", e);
        }
    }

    private static List<Object[]> forwardingCandidates(Connection connection, PartnerId partner) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(FORWARDING_CANDIDATES)) {
            query.setString(1, partner.value());
            try (ResultSet row = query.executeQuery()) {
                List<Object[]> subscriptions = new ArrayList<>();
                while (row.next()) {
                    subscriptions.add(new Object[] {row.getObject(1, UUID.class), row.getString(2), row.getString(3)});
                }
                return subscriptions;
            }
        }
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
