package dev.stripeconnector.events;

import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Sends a subscription's receiver a test event when its partner asks: signed with the subscription's secrets
 * and sent by {@link EventSender}, like every delivery, so a receiver checks its signature code and its URL
 * against the real thing. A test event is of type {@link #TYPE} and says {@code "test": true}; it is not an
 * event of the feed (no sequence of an installation, not listed, not retried), and what it came to is answered to the
 * caller, not stored: an attempt row names an event of the feed.
 */
@ApplicationScoped
public class TestEvents {

    /** The test event's type: not one a subscription chooses, so a receiver that acts on known types ignores it. */
    public static final String TYPE = "connector.test";

    private final EventSender sender;
    private final ServiceClock clock;

    TestEvents(EventSender sender, ServiceClock clock) {
        this.sender = sender;
        this.clock = clock;
    }

    /** What a test event came to: its id, when it was sent, and the receiver's answer. */
    public record Sent(UUID eventId, Instant sentAt, EventSender.Outcome outcome) {

        public boolean delivered() {
            return outcome.delivered();
        }
    }

    /** Sends {@code partner}'s subscription {@code id} a test event now (blocking, at most the request timeout). */
    public Sent send(PartnerId partner, UUID id) {
        Instant now = clock.now();
        record Target(String url, List<Secret> secrets) {
        }
        // The subscription is read in a transaction of its own; the request goes out after it ends.
        Target target = QuarkusTransaction.requiringNew().call(() -> EventSubscription.byId(partner, id)
                .map(s -> new Target(s.url, s.activeSecrets(now)))
                .orElseThrow(() -> new EventsProblems.SubscriptionNotFound(id.toString())));
        UUID eventId = UUID.randomUUID();
        // Every value is a UUID, a number or an ISO-8601 instant: nothing to escape.
        String body = "{\"id\":\"" + eventId + "\",\"type\":\"" + TYPE + "\",\"version\":" + Event.VERSION + ",\"createdAt\":\"" + now
                + "\",\"test\":true,\"sequence\":0,\"data\":{}}";
        EventSender.Outcome outcome = sender.send(target.url(), eventId.toString(), TYPE, body.getBytes(StandardCharsets.UTF_8), target.secrets());
        return new Sent(eventId, now, outcome);
    }
}
