package dev.stripeconnector.webhook;

import dev.stripeconnector.partner.PartnerId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A Stripe event already handled by one partner's endpoint: a redelivery of the same id to it is
 * acknowledged and ignored. Keyed by partner and endpoint, so two partners connected to one Stripe
 * account each handle their own copy of its events.
 */
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

    /**
     * Claims the event id for the partner's endpoint ({@code platform}: the client ID of an account's own
     * platform, or empty for the console's); false when another delivery (on any replica) already did.
     */
    static boolean claim(PartnerId partner, String platform, String eventId, String type, String stripeAccount, Instant now) {
        return getEntityManager().createNativeQuery("""
                insert into webhook_event (partner_id, platform, event_id, type, stripe_account, received_at)
                values (:partner, :platform, :id, :type, :account, :now) on conflict (partner_id, platform, event_id) do nothing
                """)
                .setParameter("partner", partner.value())
                .setParameter("platform", platform)
                .setParameter("id", eventId)
                .setParameter("type", type)
                .setParameter("account", stripeAccount)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }
}
