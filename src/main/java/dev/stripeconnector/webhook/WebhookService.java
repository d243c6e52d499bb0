package dev.stripeconnector.webhook;

import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.account.InstallationEvents;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.partner.PartnerId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.jboss.logging.Logger;

/** What a verified Stripe event changes. */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final String DEAUTHORIZED = "account.application.deauthorized";

    private final ServiceClock clock;
    private final InstallationEvents events;

    public WebhookService(ServiceClock clock, InstallationEvents events) {
        this.clock = clock;
        this.events = events;
    }

    public enum Result {
        HANDLED, DUPLICATE, IGNORED
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
    }

    /**
     * Handles one event exactly once per partner's endpoint: the claim of its id and its effect commit
     * together. A deauthorization revokes (and wipes the tokens of) only the endpoint's partner's
     * connections to that Stripe account made through the deauthorized application, that the endpoint
     * speaks for, and that existed when Stripe created the event (a connection re-authorized since is
     * left alone). Another partner connected to the same Stripe account gets its own copy of the event
     * at its own endpoint.
     */
    @Transactional
    public Result handle(StripeEvent event, Endpoint endpoint) {
        if (!DEAUTHORIZED.equals(event.type())) {
            return Result.IGNORED;
        }
        Instant now = clock.now();
        if (!WebhookEvent.claim(endpoint.partner(), endpoint.claimedUnder(), event.id(), event.type(), event.account(), now)) {
            return Result.DUPLICATE;
        }
        String application = event.applicationClientId();
        if (event.account() == null || application == null || (endpoint.platform() != null && !endpoint.platform().equals(application))) {
            LOG.infof("Deauthorization event %s names no account or application this endpoint speaks for: acknowledged, nothing changed",
                    event.id());
            return Result.IGNORED;
        }
        int revoked = 0;
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
            events.changed(before, installation);
            revoked++;
            LOG.infof("Stripe account %s deauthorized the platform %s: installation of %s revoked", event.account(), application,
                    installation.accountId);
        }
        return revoked > 0 ? Result.HANDLED : Result.IGNORED;
    }
}
