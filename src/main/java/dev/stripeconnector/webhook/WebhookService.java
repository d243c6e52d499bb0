package dev.stripeconnector.webhook;

import dev.stripeconnector.audit.Actor;
import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.account.InstallationEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.events.Event;
import dev.stripeconnector.events.EventOutbox;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.StripeAccount;
import dev.stripeconnector.stripe.StripeFailure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** What a verified Stripe event changes, and where it is forwarded. */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final String DEAUTHORIZED = "account.application.deauthorized";
    static final String ACCOUNT_UPDATED = "account.updated";

    private final ServiceClock clock;
    private final InstallationEvents events;
    private final EventOutbox outbox;
    private final WebhookMetrics metrics;
    private final ObjectMapper json;
    private final AuditTrail audit;

    public WebhookService(ServiceClock clock, InstallationEvents events, EventOutbox outbox, WebhookMetrics metrics, ObjectMapper json, AuditTrail audit) {
        this.audit = audit;
        this.clock = clock;
        this.events = events;
        this.outbox = outbox;
        this.metrics = metrics;
        this.json = json;
    }

    /** What became of an event: Stripe is told all but UNATTRIBUTED as is, and that one as ignored. */
    public enum Result {
        /** It changed a connection, or was forwarded to the installations of its account. */
        HANDLED,
        /** Its id was handled before at this endpoint. */
        DUPLICATE,
        /** The platform's own event, or a deauthorization that changed nothing. */
        IGNORED,
        /** An event of an account no installation the endpoint speaks for is connected to: dropped. */
        UNATTRIBUTED
    }

    /**
     * The endpoint an event arrived at, which bounds what it may change: a partner's (the one whose
     * domain it arrived on) and, of that partner's, the console's endpoint speaks for connections made
     * through the console's platform (installations without a client ID of their own); a platform's
     * own endpoint only for connections of that platform.
     */
    record Endpoint(PartnerId partner, String platform) {
        static Endpoint console(PartnerId partner) {
            return new Endpoint(partner, null);
        }

        static Endpoint platform(PartnerId partner, String clientId) {
            return new Endpoint(partner, clientId);
        }

        /** What the event's id is claimed under, with the partner: the platform's client ID, empty for the console's. */
        String claimedUnder() {
            return platform == null ? "" : platform;
        }

        boolean covers(AccountConnector installation) {
            return platform == null ? installation.clientId == null : platform.equals(installation.clientId);
        }

        /** Whether the installation's connection is one this endpoint's platform made (so Stripe sends its events here). */
        boolean connectsThrough(AccountConnector installation) {
            return covers(installation) && (platform == null || platform.equals(installation.connectedClientId));
        }
    }

    /**
     * Handles one event of a connected account exactly once per partner's endpoint: the claim of its id, its effect
     * and its forwarding commit together, or nothing does (a failure answers Stripe an error, and its retry finds the
     * id unclaimed). Another partner connected to the same Stripe account gets its own copy of the event at its own
     * endpoint. An event without an account (the platform's own) changes nothing and is not kept.
     *
     * <ul>
     * <li>A deauthorization revokes (and wipes the tokens of) only the endpoint's partner's connections to that
     * Stripe account made through the deauthorized application, that the endpoint speaks for, and that existed when
     * Stripe created the event (a connection re-authorized since is left alone); it is forwarded to the
     * installations it revoked only.</li>
     * <li>{@code account.updated} records the account's facts on its installations, unless they hold newer ones; the
     * connection and its status stay as they are.</li>
     * <li>Every event is forwarded as {@code stripe.event} to each installation of the endpoint's partner connected
     * to the event's account through the endpoint's platform; an event of an account without one is dropped.</li>
     * </ul>
     */
    public Result handle(StripeEvent event, Endpoint endpoint) {
        if (event.account() == null) {
            return Result.IGNORED;
        }
        Result result = QuarkusTransaction.requiringNew().call(() -> handleOnce(event, endpoint));
        metrics.received(result);
        return result;
    }

    private Result handleOnce(StripeEvent event, Endpoint endpoint) {
        Instant now = clock.now();
        if (!WebhookEvent.claim(endpoint.partner(), endpoint.claimedUnder(), event.id(), event.type(), event.account(), now)) {
            return Result.DUPLICATE;
        }
        List<AccountConnector> installations;
        boolean updatesFacts = ACCOUNT_UPDATED.equals(event.type());
        if (DEAUTHORIZED.equals(event.type())) {
            // Forwarded to the connections it revoked only: not to another platform's, nor to one re-authorized since (its
            // subscribers would read a disconnection of a connection that works).
            installations = deauthorize(event, endpoint, now);
            if (installations.isEmpty()) {
                return Result.IGNORED;
            }
        } else {
            installations = (updatesFacts
                    ? AccountConnector.connectedToForUpdate(endpoint.partner(), event.account())
                    : AccountConnector.connectedTo(endpoint.partner(), event.account()))
                    .stream().filter(endpoint::connectsThrough).toList();
            if (installations.isEmpty()) {
                LOG.debugf("Stripe event %s (%s) is about %s, which no installation this endpoint speaks for is connected to: dropped",
                        event.id(), event.type(), event.account());
                return Result.UNATTRIBUTED;
            }
        }
        StripeAccount facts = updatesFacts ? facts(event) : null;
        for (AccountConnector installation : installations) {
            if (facts != null) {
                installation.accountUpdated(facts.businessName(), facts.email(), facts.country(), facts.chargesEnabled(),
                        facts.payoutsEnabled(), event.created(), now);
            }
            outbox.forward(installation.partner(), installation.accountId, installation.id, event.type(),
                    Event.EventData.stripeEvent(event.account(), event.livemode(), event.id(), event.type(), event.rawObject()));
        }
        return Result.HANDLED;
    }

    /** The account's facts an account.updated event tells, or null (logged) when they are not an account's plausible facts. */
    private StripeAccount facts(StripeEvent event) {
        try {
            StripeAccount account = event.object() == null ? null : json.treeToValue(event.object(), StripeAccount.class);
            return StripeAccount.checked(account, event.account());
        } catch (JsonProcessingException | IllegalArgumentException | StripeFailure e) {
            LOG.warnf("Stripe event %s (account.updated) does not carry the facts of %s: forwarded, the recorded facts kept", event.id(),
                    event.account());
            return null;
        }
    }

    /** Revokes the connections a deauthorization speaks for that existed when Stripe created it; answers those it revoked. */
    private List<AccountConnector> deauthorize(StripeEvent event, Endpoint endpoint, Instant now) {
        String application = event.applicationClientId();
        if (event.account() == null || application == null || (endpoint.platform() != null && !endpoint.platform().equals(application))) {
            LOG.infof("Deauthorization event %s names no account or application this endpoint speaks for: acknowledged, nothing changed",
                    event.id());
            return List.of();
        }
        List<AccountConnector> revoked = new java.util.ArrayList<>();
        for (AccountConnector installation : AccountConnector.connectionsForUpdate(endpoint.partner(), event.account(), application)) {
            if (!endpoint.covers(installation)) {
                continue;
            }
            // Stripe's times have whole seconds: a connection made in a later second than the event was re-authorized since.
            if (event.created() != null && installation.connectedAt != null
                    && installation.connectedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(event.created())) {
                LOG.infof("Deauthorization event %s predates the connection of %s (re-authorized since): left alone", event.id(),
                        installation.accountId);
                continue;
            }
            InstallationEvents.Before before = events.before(installation);
            installation.deauthorized("The Stripe account " + event.account() + " disconnected the platform " + application
                    + " (" + DEAUTHORIZED + "): connect it again to restore access", now);
            audit.record(Actor.STRIPE, installation.partner(), "installation.deauthorize", installation.accountId, null, List.of());
            events.changed(before, installation);
            revoked.add(installation);
            LOG.infof("Stripe account %s deauthorized the platform %s: installation of %s revoked", event.account(), application,
                    installation.accountId);
        }
        return revoked;
    }
}
