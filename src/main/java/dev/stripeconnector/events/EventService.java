package dev.stripeconnector.events;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.maintenance.RetentionConfig;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A partner's events feed, for catching up, and replays of its events to its subscriptions. Every
 * method takes the partner first: another partner's event or subscription is answered as unknown.
 */
@ApplicationScoped
public class EventService {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private final EventsConfig config;
    private final RetentionConfig retention;
    private final DeliverySignal signal;
    private final AuditTrail audit;

    public EventService(EventsConfig config, RetentionConfig retention, DeliverySignal signal, AuditTrail audit) {
        this.config = config;
        this.retention = retention;
        this.signal = signal;
        this.audit = audit;
    }

    /** A page of the feed: the events as delivered, in commit order. */
    @Schema(name = "EventPage")
    public record Page(
            @JsonRawValue @Schema(required = true, type = SchemaType.ARRAY, implementation = Event.class,
                    description = "The events in order, each exactly as it was delivered") String items,
            @Schema(required = true, description = "Whether more events follow now (ask again with after=nextCursor)") boolean hasMore,
            @Schema(nullable = true, description = "Pass it as after= to read on: the id of the last event of this page (or the after= given,"
                    + " when the page is empty); null when there are no events yet") String nextCursor) {
    }

    private static final java.util.regex.Pattern UUID_SHAPE = java.util.regex.Pattern.compile(UUID_PATTERN);

    /** Whether the text is a UUID as the API writes them (either case). */
    public static boolean isUuid(String text) {
        return text != null && UUID_SHAPE.matcher(text).matches();
    }

    /** The id of an event or a subscription from a request path, or the field error for a malformed one. */
    static void checkId(String id) {
        if (!isUuid(id)) {
            throw InvalidInput.of("id", "must be a UUID");
        }
    }

    public Page list(PartnerId partner, String after, String type, String accountId, String limit) {
        Fields fields = new Fields();
        if (after != null && !after.isEmpty() && !isUuid(after)) {
            fields.add("after", "must be the id of an event (a UUID), as nextCursor gives it");
        }
        if (type != null && !type.isEmpty() && EventType.parse(type) == null) {
            fields.add("type", "must be one of " + String.join(", ", EventType.names()));
        }
        if (accountId != null && !accountId.isEmpty() && !AccountIds.valid(accountId)) {
            fields.add("accountId", AccountIds.MESSAGE);
        }
        int size = fields.limit("limit", limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        fields.orThrow();
        int pageSize = size;
        String cursor = after == null || after.isEmpty() ? null : after.toLowerCase();
        return QuarkusTransaction.requiringNew().call(() -> {
            long position = 0;
            if (cursor != null) {
                ConnectorEvent last = ConnectorEvent.byId(partner, UUID.fromString(cursor)).orElseThrow(() -> InvalidInput.of("after",
                        "is not an event that is still kept: unknown, or older than the retention (CONNECTOR_RETENTION_EVENTS, " + retention.events()
                                + "); read from the start (without after) instead"));
                if (last.feedPosition == null) {
                    // Delivered before the sequencer numbered it: it will come after every event listed now, so nothing follows it yet.
                    return new Page("[]", false, cursor);
                }
                position = last.feedPosition;
            }
            List<ConnectorEvent> rows = ConnectorEvent.page(partner, position, empty(type), empty(accountId), pageSize + 1);
            boolean more = rows.size() > pageSize;
            List<ConnectorEvent> items = rows.subList(0, Math.min(pageSize, rows.size()));
            String next = items.isEmpty() ? cursor : items.get(items.size() - 1).id.toString();
            return new Page("[" + String.join(",", items.stream().map(e -> e.payload).toList()) + "]", more, next);
        });
    }

    /** One of the partner's events as it was delivered. */
    public Optional<String> get(PartnerId partner, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> ConnectorEvent.byId(partner, id).map(e -> e.payload));
    }

    /** Body of {@code POST /api/v1/events/{id}/redeliver}: one subscription, or (absent) every one that receives the event's type. */
    @Schema(name = "EventRedelivery")
    public record Redelivery(@Schema(nullable = true, format = "uuid") String subscriptionId) {
    }

    @Schema(name = "EventRedeliveryResult")
    public record Redelivered(@Schema(required = true) UUID eventId, @Schema(required = true) List<DeliveryView> deliveries) {
    }

    /**
     * Queues the partner's event again for one of its subscriptions, or for every one of its subscriptions
     * that receives its type (whether or not it had it before): it is delivered, with its own id and
     * payload, as soon as no earlier event of its installation is pending for that subscription.
     */
    public Redelivered redeliver(PartnerId partner, UUID id, Redelivery body) {
        String only = body == null ? null : body.subscriptionId();
        if (only != null && !isUuid(only)) {
            throw InvalidInput.of("subscriptionId", "must be the id of an event subscription (a UUID)");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ConnectorEvent event = ConnectorEvent.byId(partner, id).orElseThrow(() -> new EventsProblems.EventNotFound(id.toString()));
            List<EventSubscription> targets;
            if (only != null) {
                EventSubscription subscription = EventSubscription.byId(partner, UUID.fromString(only))
                        .orElseThrow(() -> InvalidInput.of("subscriptionId", "is not an event subscription"));
                if (!subscription.receives(event.type, event.stripeEventType)) {
                    throw new EventsProblems.NotSubscribed("The subscription " + only + " does not receive " + described(event)
                            + " events: add the type to it first");
                }
                targets = List.of(subscription);
            } else {
                targets = EventSubscription.all(partner).stream().filter(s -> s.receives(event.type, event.stripeEventType)).toList();
                if (targets.isEmpty()) {
                    throw new EventsProblems.NotSubscribed("No event subscription receives " + described(event) + " events");
                }
            }
            Instant now = DeliveryQueue.databaseNow(EventDelivery.getEntityManager());
            Instant giveUp = now.plus(config.retryFor());
            List<DeliveryView> views = new ArrayList<>();
            List<String> queued = new ArrayList<>();
            for (EventSubscription subscription : targets) {
                EventDelivery delivery = EventDelivery.<EventDelivery>find("subscriptionId = ?1 and eventId = ?2", subscription.id, event.id)
                        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResultOptional().orElse(null);
                if (delivery == null) {
                    delivery = new EventDelivery();
                    delivery.id = UUID.randomUUID();
                    delivery.partnerId = event.partnerId;
                    delivery.subscriptionId = subscription.id;
                    delivery.eventId = event.id;
                    delivery.streamId = event.streamId;
                    delivery.feedPosition = event.sequenceNumber;
                    delivery.createdAt = now;
                    delivery.requeue(now, giveUp);
                    delivery.persist();
                } else {
                    delivery.requeue(now, giveUp);
                }
                views.add(DeliveryView.of(delivery, event.type));
                queued.add("delivery " + delivery.id + " (subscription " + subscription.id + ")");
            }
            // A forced action: in the trail with the deliveries it queued, in the transaction that queues them.
            audit.record(partner, "event.redeliver", event.accountId, event.id.toString(),
                    "queued again for " + queued.size() + (queued.size() == 1 ? " subscription: " : " subscriptions: ") + String.join(", ", queued));
            signal.afterCommit();
            return new Redelivered(event.id, views);
        });
    }

    /** The event's type as a subscription chooses it: a stripe.event by its Stripe event type too. */
    private static String described(ConnectorEvent event) {
        return event.stripeEventType == null ? event.type : event.type + " (" + event.stripeEventType + ")";
    }

    private static String empty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
