package dev.stripeconnector.webhook;

import dev.stripeconnector.account.AccountConnector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/** What a verified Stripe event changes. */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final String DEAUTHORIZED = "account.application.deauthorized";

    public enum Result {
        HANDLED, DUPLICATE, IGNORED
    }

    /** Handles one event exactly once: the claim of its id and its effect commit together. */
    @Transactional
    public Result handle(String eventId, String type, String stripeAccount) {
        if (!DEAUTHORIZED.equals(type)) {
            return Result.IGNORED;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!WebhookEvent.claim(eventId, type, stripeAccount, now)) {
            return Result.DUPLICATE;
        }
        if (stripeAccount == null) {
            return Result.IGNORED;
        }
        AccountConnector.<AccountConnector>list("stripeUserId", stripeAccount).forEach(installation -> {
            installation.revoke("deauthorized", "The Stripe account disconnected the platform (" + DEAUTHORIZED + ")", now);
            LOG.infof("Stripe account %s deauthorized the platform: installation of %s revoked", stripeAccount, installation.accountId);
        });
        return Result.HANDLED;
    }
}
