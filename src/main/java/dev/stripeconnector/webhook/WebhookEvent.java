package dev.stripeconnector.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Stripe event already handled: a redelivery of the same id is acknowledged and ignored. */
@Entity
@Table(name = "webhook_event")
public class WebhookEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(nullable = false)
    public String type;

    @Column(name = "stripe_account")
    public String stripeAccount;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** Claims the event id; false when another delivery (on any replica) already did. */
    static boolean claim(String eventId, String type, String stripeAccount, Instant now) {
        return getEntityManager().createNativeQuery("""
                insert into webhook_event (event_id, type, stripe_account, received_at)
                values (:id, :type, :account, :now) on conflict (partner_id, platform, event_id) do nothing
                """)
                .setParameter("id", eventId)
                .setParameter("type", type)
                .setParameter("account", stripeAccount)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }
}
