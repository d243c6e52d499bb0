package dev.stripeconnector.events;

import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.MalformedRequest;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A partner's event subscriptions: create one (its signing secret shown once), change its URL or types,
 * rotate its secret with an overlap, delete it, and look at its deliveries. A receiver URL is checked
 * against {@link ReceiverPolicy} when it is saved (and again at every delivery). Every method takes the
 * partner first: another partner's subscription is answered as unknown, and a subscription receives its
 * own partner's events only.
 */
@ApplicationScoped
public class SubscriptionService {

    public static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    public static final Duration MAX_OVERLAP = Duration.ofDays(7);
    public static final int MAX_LISTED = 100;

    private final ReceiverPolicy receivers;
    private final ServiceClock clock;
    private final AuditTrail audit;

    public SubscriptionService(ReceiverPolicy receivers, ServiceClock clock, AuditTrail audit) {
        this.audit = audit;
        this.receivers = receivers;
        this.clock = clock;
    }

    public SubscriptionView create(PartnerId partner, SubscriptionChange body) {
        if (body == null) {
            throw new MalformedRequest("Send the subscription as a JSON object with url and eventTypes");
        }
        Fields fields = new Fields();
        if (body.url == null || body.url.isEmpty()) {
            fields.add("url", "is required: the receiver's https URL");
        }
        if (body.eventTypes == null || body.eventTypes.isEmpty()) {
            fields.add("eventTypes", "is required: a list of event types, or [\"*\"] for all");
        }
        String types = check(body, fields);
        String stripeTypes = stripeTypes(body, fields);
        if (types != null) {
            checkStripeEvents(types, stripeTypes, fields);
        }
        fields.orThrow();
        Secret secret = EventSignature.newSecret();
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.now();
            EventSubscription subscription = new EventSubscription();
            subscription.id = UUID.randomUUID();
            subscription.partnerId = partner.value();
            subscription.url = body.url.get().strip();
            subscription.eventTypes = types;
            subscription.stripeEventTypes = stripeTypes;
            subscription.description = value(body.description);
            subscription.signingSecret = secret;
            subscription.createdAt = now;
            subscription.updatedAt = now;
            subscription.persist();
            List<String> set = new java.util.ArrayList<>(List.of("url", "eventTypes"));
            if (stripeTypes != null) {
                set.add("stripeEventTypes");
            }
            if (subscription.description != null) {
                set.add("description");
            }
            set.add("signingSecret");
            audit.record(partner, "subscription.create", null, subscription.id.toString(), set);
            return SubscriptionView.of(subscription, new SubscriptionView.Deliveries(0, 0, 0), secret.reveal());
        });
    }

    public SubscriptionView update(PartnerId partner, UUID id, SubscriptionChange body) {
        if (body == null) {
            throw new MalformedRequest("Send the changes as a JSON object");
        }
        Fields fields = new Fields();
        if (body.url != null && body.url.isEmpty()) {
            fields.add("url", "cannot be cleared: delete the subscription instead");
        }
        if (body.eventTypes != null && body.eventTypes.isEmpty()) {
            fields.add("eventTypes", "cannot be cleared: delete the subscription instead");
        }
        String types = check(body, fields);
        String stripeTypes = stripeTypes(body, fields);
        fields.orThrow();
        return QuarkusTransaction.requiringNew().call(() -> {
            EventSubscription subscription = EventSubscription.byIdForUpdate(partner, id)
                    .orElseThrow(() -> new EventsProblems.SubscriptionNotFound(id.toString()));
            // The two lists are checked as they will stand: a field left out keeps its stored value.
            Fields together = new Fields();
            checkStripeEvents(types != null ? types : subscription.eventTypes,
                    body.stripeEventTypes != null ? stripeTypes : subscription.stripeEventTypes, together);
            together.orThrow();
            List<String> changed = new ArrayList<>();
            if (body.url != null && !body.url.get().strip().equals(subscription.url)) {
                changed.add("url");
            }
            if (types != null && !types.equals(subscription.eventTypes)) {
                changed.add("eventTypes");
            }
            if (body.stripeEventTypes != null && !java.util.Objects.equals(stripeTypes, subscription.stripeEventTypes)) {
                changed.add("stripeEventTypes");
            }
            if (body.description != null && !java.util.Objects.equals(value(body.description), subscription.description)) {
                changed.add("description");
            }
            if (body.url != null) {
                subscription.url = body.url.get().strip();
            }
            if (types != null) {
                subscription.eventTypes = types;
            }
            if (body.stripeEventTypes != null) {
                subscription.stripeEventTypes = stripeTypes;
            }
            if (body.description != null) {
                subscription.description = value(body.description);
            }
            subscription.updatedAt = clock.now();
            if (!changed.isEmpty()) {
                audit.record(partner, "subscription.update", null, id.toString(), changed);
            }
            return SubscriptionView.of(subscription, deliveries(partner, id), null);
        });
    }

    /** Checks the fields present; answers the event types as stored (or null when absent). */
    private String check(SubscriptionChange body, Fields fields) {
        if (body.url != null && body.url.isPresent()) {
            String problem = receivers.problemWith(body.url.get().strip());
            if (problem != null) {
                fields.add("url", problem);
            }
        }
        fields.text("description", value(body.description), EventSubscription.MAX_DESCRIPTION);
        if (body.eventTypes == null || body.eventTypes.isEmpty()) {
            return null;
        }
        List<String> asked = body.eventTypes.get();
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String type : asked) {
            if (type == null || !(EventType.ALL.equals(type) || EventType.parse(type) != null)) {
                fields.add("eventTypes", "must list event types (" + String.join(", ", EventType.names()) + "), or be [\"*\"]");
                return null;
            }
            types.add(type);
        }
        if (types.isEmpty()) {
            fields.add("eventTypes", "must list at least one event type, or be [\"*\"]");
            return null;
        }
        if (types.contains(EventType.ALL) && types.size() > 1) {
            fields.add("eventTypes", "\"*\" already means every type: send it alone");
            return null;
        }
        return String.join(",", types);
    }

    /** The Stripe event types as stored (null for none, also when absent); their problems go to {@code fields}. */
    private static String stripeTypes(SubscriptionChange body, Fields fields) {
        if (body.stripeEventTypes == null || body.stripeEventTypes.isEmpty()) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String stored = StripeEventTypes.stored(body.stripeEventTypes.get(), problems);
        problems.forEach(problem -> fields.add("stripeEventTypes", problem));
        return stored;
    }

    /**
     * Stripe's events go to a subscription that asks for both: stripe.event among its types (or every type) and the
     * Stripe event types it wants. One without the other would forward nothing, which a subscriber would not notice.
     * A subscription with every type ("*") and no Stripe event types is what every subscription of before is: it
     * gets no Stripe event, so none of them is suddenly sent every event of every connected account.
     */
    private static void checkStripeEvents(String types, String stripeTypes, Fields fields) {
        boolean listed = List.of(types.split(",")).contains(EventType.STRIPE_EVENT.json());
        if (listed && stripeTypes == null) {
            fields.add("stripeEventTypes", "is required when eventTypes lists stripe.event: the Stripe event types to forward,"
                    + " such as [\"charge.*\", \"account.updated\"], or [\"*\"] for every one");
        }
        if (stripeTypes != null && !listed && !types.equals(EventType.ALL)) {
            fields.add("eventTypes", "must list stripe.event (or be [\"*\"]) for the Stripe event types to be forwarded");
        }
    }

    public List<SubscriptionView> list(PartnerId partner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<UUID, SubscriptionView.Deliveries> counts = allDeliveries(partner, null);
            return EventSubscription.all(partner).stream()
                    .map(s -> SubscriptionView.of(s, counts.getOrDefault(s.id, new SubscriptionView.Deliveries(0, 0, 0)), null))
                    .toList();
        });
    }

    public Optional<SubscriptionView> view(PartnerId partner, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> EventSubscription.byId(partner, id)
                .map(s -> SubscriptionView.of(s, deliveries(partner, id), null)));
    }

    /** A new signing secret, shown once; the current one keeps signing (as a second v1) for {@code overlap}. */
    public SubscriptionView rotate(PartnerId partner, UUID id, Duration overlap) {
        Duration keep = overlap == null ? DEFAULT_OVERLAP : overlap;
        if (keep.isNegative() || keep.compareTo(MAX_OVERLAP) > 0) {
            throw InvalidInput.of("overlap", "must be a duration from PT0S to " + MAX_OVERLAP + " (ISO-8601, e.g. PT24H)");
        }
        Secret secret = EventSignature.newSecret();
        return QuarkusTransaction.requiringNew().call(() -> {
            EventSubscription subscription = EventSubscription.byIdForUpdate(partner, id)
                    .orElseThrow(() -> new EventsProblems.SubscriptionNotFound(id.toString()));
            Instant now = clock.now();
            subscription.rotate(secret, now.plus(keep), now);
            audit.record(partner, "subscription.rotate-secret", null, id.toString(), List.of("signingSecret"));
            return SubscriptionView.of(subscription, deliveries(partner, id), secret.reveal());
        });
    }

    /** Deletes the subscription with its deliveries and their attempts (the events stay). */
    public void delete(PartnerId partner, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (EventSubscription.delete("partnerId = ?1 and id = ?2", partner.value(), id) == 0) {
                throw new EventsProblems.SubscriptionNotFound(id.toString());
            }
            audit.record(partner, "subscription.delete", null, id.toString(), List.of());
        });
    }

    /** The subscription's most recent delivery attempts, newest first. */
    public List<AttemptView> attempts(PartnerId partner, UUID id, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            requireExists(partner, id);
            @SuppressWarnings("unchecked")
            List<Object[]> rows = DeliveryAttempt.getEntityManager().createNativeQuery("""
                    select a.event_id, e.type, a.attempt, a.attempted_at, a.outcome, a.http_status, a.duration_ms, a.error, a.next_attempt_at
                    from event_delivery_attempt a join connector_event e on e.id = a.event_id
                    where a.partner_id = :partner and a.subscription_id = :id
                    order by a.attempted_at desc, a.attempt desc
                    limit :limit
                    """).setParameter("partner", partner.value()).setParameter("id", id).setParameter("limit", limit).getResultList();
            List<AttemptView> views = new ArrayList<>();
            for (Object[] row : rows) {
                views.add(attempt(row));
            }
            return views;
        });
    }

    /** Each of the partner's subscriptions' latest delivery attempt (subscriptions without one are absent). */
    public Map<UUID, AttemptView> latestAttempts(PartnerId partner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = DeliveryAttempt.getEntityManager().createNativeQuery("""
                    select distinct on (a.subscription_id) a.subscription_id, a.event_id, e.type, a.attempt, a.attempted_at, a.outcome,
                           a.http_status, a.duration_ms, a.error, a.next_attempt_at
                    from event_delivery_attempt a join connector_event e on e.id = a.event_id
                    where a.partner_id = :partner
                    order by a.subscription_id, a.attempted_at desc, a.attempt desc
                    """).setParameter("partner", partner.value()).getResultList();
            Map<UUID, AttemptView> latest = new java.util.HashMap<>();
            for (Object[] row : rows) {
                latest.put((UUID) row[0], attempt(java.util.Arrays.copyOfRange(row, 1, row.length)));
            }
            return latest;
        });
    }

    /** An attempt from a row of (event id, type, attempt, attempted at, outcome, status, duration, error, next attempt). */
    private static AttemptView attempt(Object[] row) {
        return new AttemptView((UUID) row[0], (String) row[1], ((Number) row[2]).intValue(), DeliveryQueue.instant(row[3]),
                DeliveryAttempt.Outcome.valueOf((String) row[4]), row[5] == null ? null : ((Number) row[5]).intValue(),
                ((Number) row[6]).intValue(), (String) row[7], DeliveryQueue.instant(row[8]));
    }

    /** The subscription's deliveries, newest first, optionally of one status (failed ones are kept for replay). */
    public List<DeliveryView> deliveries(PartnerId partner, UUID id, EventDelivery.Status status, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            requireExists(partner, id);
            List<EventDelivery> rows = status == null
                    ? EventDelivery.find("partnerId = ?1 and subscriptionId = ?2 order by createdAt desc, id desc", partner.value(), id)
                            .page(0, limit).list()
                    : EventDelivery.find("partnerId = ?1 and subscriptionId = ?2 and status = ?3 order by createdAt desc, id desc",
                            partner.value(), id, status).page(0, limit).list();
            Map<UUID, String> types = ConnectorEvent.<ConnectorEvent>list("id in ?1", rows.stream().map(d -> d.eventId).toList()).stream()
                    .collect(Collectors.toMap(e -> e.id, e -> e.type));
            return rows.stream().map(d -> DeliveryView.of(d, types.get(d.eventId))).toList();
        });
    }

    private static void requireExists(PartnerId partner, UUID id) {
        if (EventSubscription.byId(partner, id).isEmpty()) {
            throw new EventsProblems.SubscriptionNotFound(id.toString());
        }
    }

    private static SubscriptionView.Deliveries deliveries(PartnerId partner, UUID id) {
        return allDeliveries(partner, id).getOrDefault(id, new SubscriptionView.Deliveries(0, 0, 0));
    }

    /** How the deliveries of the partner's subscriptions stand, or of one of them ({@code only}). */
    private static Map<UUID, SubscriptionView.Deliveries> allDeliveries(PartnerId partner, UUID only) {
        jakarta.persistence.Query query = EventDelivery.getEntityManager().createNativeQuery("""
                select subscription_id,
                       count(*) filter (where status = 'PENDING'),
                       count(*) filter (where status = 'DELIVERED'),
                       count(*) filter (where status = 'FAILED')
                from event_delivery
                where partner_id = :partner
                """ + (only == null ? "" : "and subscription_id = :only ") + "group by subscription_id");
        query.setParameter("partner", partner.value());
        if (only != null) {
            query.setParameter("only", only);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().collect(Collectors.toMap(r -> (UUID) r[0], r -> new SubscriptionView.Deliveries(
                ((Number) r[1]).longValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue())));
    }

    private static String value(Optional<String> field) {
        return field == null ? null : field.orElse(null);
    }
}
