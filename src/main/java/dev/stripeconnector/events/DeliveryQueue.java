package dev.stripeconnector.events;

import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The deliveries in PostgreSQL, shared by every replica: claiming what is due under a lease, and
 * recording what an attempt came to. All times are the database's, so replicas with skewed clocks
 * agree on what is due.
 */
@ApplicationScoped
public class DeliveryQueue {

    private final EventsConfig config;

    public DeliveryQueue(EventsConfig config) {
        this.config = config;
    }

    /** A claimed delivery: whose, what to send where, with the lease that lets its outcome be recorded. */
    public record Claim(PartnerId partner, UUID deliveryId, UUID leaseToken, int attempt, UUID eventId, String eventType, String payload,
                        Instant eventCreatedAt, String traceParent, UUID subscriptionId, String url, List<Secret> secrets) {
        @Override
        public String toString() {
            return "Claim[partner=" + partner + ", delivery=" + deliveryId + ", event=" + eventId + ", attempt=" + attempt + "]";
        }
    }

    /**
     * Claims due deliveries, at most {@code perSubscription} less what {@code busy} says this replica is
     * sending already to each subscription (each its own share: a slow receiver fills only its own), each
     * the oldest pending one of its subscription and installation by the installation's sequence numbers
     * (a later one waits until the earlier is delivered or has failed; the feed's positions, assigned
     * after commit, play no part), skipping rows another replica is claiming. Every partner's deliveries
     * are claimed alike; one whose event and subscription are not the same partner's (only a pod of a
     * version before partners could write one) is never sent. A claim holds a lease of
     * twice the request timeout: should its replica die before recording the outcome, the lease lapses
     * and the delivery is made again.
     */
    public List<Claim> claim(int perSubscription, Map<UUID, Integer> busy) {
        if (perSubscription <= 0) {
            return List.of();
        }
        StringJoiner inFlight = new StringJoiner(",", "{", "}");
        busy.forEach((subscription, count) -> inFlight.add("\"" + subscription + "\":" + count));
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = EventDelivery.getEntityManager();
            // The ranking reads without locks; the lease and status are checked again where the rows are locked
            // (PostgreSQL re-reads a row another replica claimed meanwhile there), so no delivery is claimed twice.
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                    with share as (
                        select s.id, s.partner_id, cast(:limit as integer) - coalesce(cast(b.value as integer), 0) as free
                        from event_subscription s left join jsonb_each_text(cast(:busy as jsonb)) b on b.key = cast(s.id as text)),
                    ranked as (
                        select d.id, share.free,
                               row_number() over (partition by d.subscription_id order by d.created_at, d.id) as place
                        from event_delivery d join connector_event ev on ev.id = d.event_id join share on share.id = d.subscription_id
                        where share.free > 0 and share.partner_id = ev.partner_id and d.status = 'PENDING' and d.next_attempt_at <= now()
                          and (d.lease_until is null or d.lease_until < now())
                          and not exists (select 1 from event_delivery e join connector_event earlier on earlier.id = e.event_id
                                          where e.subscription_id = d.subscription_id and e.stream_id = d.stream_id
                                            and e.status = 'PENDING' and earlier.sequence_number < ev.sequence_number)),
                    due as (
                        select d.id from event_delivery d join ranked on ranked.id = d.id
                        where ranked.place <= ranked.free and d.status = 'PENDING' and (d.lease_until is null or d.lease_until < now())
                        for update of d skip locked)
                    update event_delivery d
                    set lease_until = now() + make_interval(secs => cast(:lease as double precision)), lease_token = gen_random_uuid(),
                        attempts = d.attempts + 1
                    from due where d.id = due.id
                    returning d.id, d.lease_token, d.attempts, d.event_id, d.subscription_id
                    """)
                    .setParameter("limit", perSubscription)
                    .setParameter("busy", inFlight.toString())
                    .setParameter("lease", (double) lease().toMillis() / 1000)
                    .getResultList();
            if (rows.isEmpty()) {
                return List.of();
            }
            Instant now = databaseNow(em);
            List<Claim> claims = new ArrayList<>();
            for (Object[] row : rows) {
                ConnectorEvent event = ConnectorEvent.findById(row[3]);
                EventSubscription subscription = EventSubscription.findById(row[4]);
                claims.add(new Claim(new PartnerId(event.partnerId), (UUID) row[0], (UUID) row[1], ((Number) row[2]).intValue(), event.id,
                        event.type, event.payload, event.createdAt, event.traceParent, subscription.id, subscription.url,
                        subscription.activeSecrets(now)));
            }
            return claims;
        });
    }

    /** How long a claim holds a delivery. */
    Duration lease() {
        return config.requestTimeout().multipliedBy(2);
    }

    /**
     * Records an attempt: delivered, or a retry after {@code retryIn}, or failed when the delivery's
     * retry period is over. A claim whose lease was taken over (it lapsed) leaves the delivery to its
     * new holder; the attempt is recorded all the same. Answers the attempt's outcome.
     */
    public DeliveryAttempt.Outcome complete(Claim claim, EventSender.Outcome outcome, Duration retryIn) {
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = EventDelivery.getEntityManager();
            String status;
            if (outcome.delivered()) {
                status = single(em.createNativeQuery("""
                        update event_delivery set status = 'DELIVERED', delivered_at = now(), lease_until = null, lease_token = null,
                            last_attempt_at = now(), last_status = :status, last_error = null
                        where id = :id and lease_token = :token
                        returning status
                        """).setParameter("status", outcome.status()).setParameter("id", claim.deliveryId())
                        .setParameter("token", claim.leaseToken()).getResultList(), "DELIVERED");
            } else {
                status = single(em.createNativeQuery("""
                        update event_delivery
                        set status = case when now() >= give_up_at then 'FAILED' else 'PENDING' end,
                            next_attempt_at = now() + make_interval(secs => cast(:retryIn as double precision)),
                            lease_until = null, lease_token = null, last_attempt_at = now(), last_status = :status, last_error = :error
                        where id = :id and lease_token = :token
                        returning status
                        """).setParameter("retryIn", (double) retryIn.toMillis() / 1000)
                        .setParameter("status", outcome.status()).setParameter("error", outcome.error())
                        .setParameter("id", claim.deliveryId()).setParameter("token", claim.leaseToken()).getResultList(), "PENDING");
            }
            DeliveryAttempt.Outcome result = outcome.delivered() ? DeliveryAttempt.Outcome.DELIVERED
                    : status.equals("FAILED") ? DeliveryAttempt.Outcome.FAILED : DeliveryAttempt.Outcome.RETRYING;
            // The subscription (and with it the delivery) may have been deleted meanwhile: then there is nothing to record.
            em.createNativeQuery("""
                    insert into event_delivery_attempt (id, partner_id, delivery_id, subscription_id, event_id, attempt, attempted_at,
                                                        duration_ms, http_status, error, outcome, next_attempt_at)
                    select gen_random_uuid(), d.partner_id, d.id, d.subscription_id, d.event_id, cast(:attempt as integer), now(),
                           cast(:duration as integer),
                           cast(:status as integer), cast(:error as varchar), cast(:outcome as varchar),
                           case when cast(:outcome as varchar) = 'RETRYING'
                                then now() + make_interval(secs => cast(:retryIn as double precision)) end
                    from event_delivery d where d.id = :id
                    """)
                    .setParameter("attempt", claim.attempt())
                    .setParameter("duration", (int) Math.min(Integer.MAX_VALUE, outcome.durationMillis()))
                    .setParameter("status", outcome.status())
                    .setParameter("error", outcome.error())
                    .setParameter("outcome", result.name())
                    .setParameter("retryIn", (double) retryIn.toMillis() / 1000)
                    .setParameter("id", claim.deliveryId())
                    .executeUpdate();
            return result;
        });
    }

    /** The first row's value, or {@code otherwise} when the lease was taken over (no row updated). */
    private static String single(List<?> rows, String otherwise) {
        return rows.isEmpty() ? otherwise : (String) rows.get(0);
    }

    /** Deliveries not yet made, in the whole database. */
    public long pending() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) EventDelivery.getEntityManager()
                .createNativeQuery("select count(*) from event_delivery where status = 'PENDING'").getSingleResult()).longValue());
    }

    /**
     * Forgets previous signing secrets whose overlap is over (they sign nothing any more), so that an
     * encryption key they were stored under can be retired. Events and attempts age out in the
     * retention purge ({@code maintenance.RetentionPurge}).
     */
    public int forgetExpiredSecrets() {
        return QuarkusTransaction.requiringNew().call(() -> EventDelivery.getEntityManager().createNativeQuery("""
                update event_subscription set previous_signing_secret = null, previous_secret_expires_at = null, version = version + 1
                where previous_secret_expires_at < now()
                """).executeUpdate());
    }

    /** A timestamp as a native query answers it (Hibernate's type depends on the column and settings). */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    static Instant databaseNow(EntityManager em) {
        return ((OffsetDateTime) em.createNativeQuery("select now()", OffsetDateTime.class).getSingleResult()).toInstant();
    }
}
