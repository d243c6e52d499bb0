package dev.stripeconnector.events;

import dev.stripeconnector.partner.PartnerId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One event of one partner, as written by the outbox in the transaction of its change; read-only afterwards. */
@Entity
@Table(name = "connector_event")
public class ConnectorEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The partner whose installation or console setup the event is about: only its feed lists it. */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    /**
     * The order of the partner's feed, the events API's: assigned by {@link FeedSequencer} shortly after
     * the event committed, null until then (such an event is not listed yet).
     */
    @Column(name = "feed_position", insertable = false, updatable = false)
    public Long feedPosition;

    @Column(nullable = false, updatable = false)
    public String type;

    @Column(name = "account_id", updatable = false)
    public String accountId;

    @Column(name = "installation_id", updatable = false)
    public UUID installationId;

    @Column(name = "stream_id", nullable = false, updatable = false)
    public UUID streamId;

    @Column(name = "sequence_number", nullable = false, updatable = false)
    public long sequenceNumber;

    /** A stripe.event's Stripe event type (null for the connector's own events): who a replay of it goes to. */
    @Column(name = "stripe_event_type", updatable = false)
    public String stripeEventType;

    /** The JSON document exactly as delivered and listed. */
    @Column(nullable = false, updatable = false)
    public String payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** The W3C trace context of the change that wrote the event (null when it was not traced): its deliveries join that trace. */
    @Column(name = "trace_parent", updatable = false)
    public String traceParent;

    /** The partner's event (another partner's is absent, as if it did not exist). */
    public static Optional<ConnectorEvent> byId(PartnerId partner, UUID id) {
        return find("partnerId = ?1 and id = ?2", partner.value(), id).firstResultOptional();
    }

    /**
     * Up to {@code limit} of the partner's numbered events after {@code afterPosition}, in its feed's order,
     * optionally of one type and one account.
     */
    public static List<ConnectorEvent> page(PartnerId partner, long afterPosition, String type, String accountId, int limit) {
        StringBuilder query = new StringBuilder("partnerId = :partner and feedPosition > :after");
        Parameters params = Parameters.with("partner", partner.value()).and("after", afterPosition);
        if (type != null) {
            query.append(" and type = :type");
            params.and("type", type);
        }
        if (accountId != null) {
            query.append(" and accountId = :accountId");
            params.and("accountId", accountId);
        }
        return find(query.toString(), Sort.by("feedPosition"), params).page(0, limit).list();
    }
}
