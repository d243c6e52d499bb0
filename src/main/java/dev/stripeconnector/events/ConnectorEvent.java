package dev.stripeconnector.events;

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

/** One event, as written by the outbox in the transaction of its change; read-only afterwards. */
@Entity
@Table(name = "connector_event")
public class ConnectorEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    /**
     * The feed's order, the events API's: assigned by {@link FeedSequencer} shortly after the event
     * committed, null until then (such an event is not listed yet).
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

    /** The JSON document exactly as delivered and listed. */
    @Column(nullable = false, updatable = false)
    public String payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    public static Optional<ConnectorEvent> byId(UUID id) {
        return findByIdOptional(id);
    }

    /** Up to {@code limit} numbered events after {@code afterPosition}, in the feed's order, optionally of one type and one account. */
    public static List<ConnectorEvent> page(long afterPosition, String type, String accountId, int limit) {
        StringBuilder query = new StringBuilder("feedPosition > :after");
        Parameters params = Parameters.with("after", afterPosition);
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
