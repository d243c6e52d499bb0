package dev.stripeconnector.account;

import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.events.Event;
import dev.stripeconnector.events.EventOutbox;
import dev.stripeconnector.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Turns changes of an installation into events, in the transaction of the change. A service takes a
 * {@link Before} snapshot, applies the change through the entity's methods, and calls
 * {@link #changed}: what the change did (a new connection, rolled tokens, a revocation, an error, a
 * recovery) decides the event, so every path that changes a connection is covered the same way.
 */
@ApplicationScoped
public class InstallationEvents {

    private final EventOutbox outbox;

    public InstallationEvents(EventOutbox outbox) {
        this.outbox = outbox;
    }

    /** What an event compares: the installation as it was before a change. */
    public record Before(String status, String lastError, Instant connectedAt, Instant tokensRefreshedAt, boolean hasTokens) {
    }

    public Before before(AccountConnector installation) {
        return new Before(shownStatus(installation), installation.lastError, installation.connectedAt, installation.tokensRefreshedAt,
                installation.accessToken != null);
    }

    public void created(AccountConnector installation) {
        outbox.record(EventType.INSTALLATION_CREATED, installation.accountId, installation.id, data(installation, null, null));
    }

    /** The account's own values changed: {@code fields} names them (never their values). */
    public void credentialsChanged(AccountConnector installation, Before before, List<String> fields) {
        if (!fields.isEmpty()) {
            outbox.record(EventType.INSTALLATION_CREDENTIALS_CHANGED, installation.accountId, installation.id,
                    data(installation, before.status(), null).withChanged(fields));
        }
    }

    /** The installation is about to be removed (call before deleting it, last in the transaction). */
    public void removed(AccountConnector installation, boolean stripeNotified) {
        outbox.record(EventType.INSTALLATION_REMOVED, installation.accountId, installation.id,
                data(installation, shownStatus(installation), stripeNotified ? "disconnected" : "removed").withStripeNotified(stripeNotified));
    }

    /**
     * Writes the event a change made, if it made one: a new connection ({@code connected}, cause
     * {@code authorized} or {@code reauthorized}), rolled tokens ({@code refreshed}), lost access
     * ({@code revoked}, cause {@code deauthorized} or {@code access_revoked}), access working again or an
     * error cleared ({@code connected}, cause {@code verified}), or a new error ({@code error}, cause its
     * code). Facts alone (a verify that changed nothing else) are not an event.
     */
    public void changed(Before before, AccountConnector after) {
        String status = shownStatus(after);
        boolean hasTokens = after.accessToken != null;
        if (!Objects.equals(before.connectedAt(), after.connectedAt) && after.connectedAt != null) {
            record(EventType.INSTALLATION_CONNECTED, after, before, before.connectedAt() == null ? "authorized" : "reauthorized");
        } else if (!Objects.equals(before.tokensRefreshedAt(), after.tokensRefreshedAt) && after.tokensRefreshedAt != null) {
            record(EventType.INSTALLATION_REFRESHED, after, before, null);
        } else if (after.status == ConnectorStatus.REVOKED && (!status.equals(before.status()) || before.hasTokens() != hasTokens)) {
            record(EventType.INSTALLATION_REVOKED, after, before, after.lastError);
        } else if (after.status == ConnectorStatus.CONNECTED
                && (!status.equals(before.status()) || (before.lastError() != null && after.lastError == null))) {
            record(EventType.INSTALLATION_CONNECTED, after, before, "verified");
        } else if (after.lastError != null && (!after.lastError.equals(before.lastError()) || !status.equals(before.status()))) {
            record(EventType.INSTALLATION_ERROR, after, before, after.lastError);
        }
    }

    private void record(EventType type, AccountConnector installation, Before before, String cause) {
        outbox.record(type, installation.accountId, installation.id, data(installation, before.status(), cause));
    }

    private static Event.EventData data(AccountConnector installation, String previousStatus, String cause) {
        Event.ErrorData error = installation.lastError == null ? null
                : new Event.ErrorData(installation.lastError, installation.lastErrorDescription);
        return Event.EventData.installation(shownStatus(installation), previousStatus, cause, installation.stripeUserId,
                installation.livemode, installation.scope, error);
    }

    /** The status as the API shows it (a pending installation without its values needs credentials). */
    private static String shownStatus(AccountConnector installation) {
        boolean complete = EffectiveCredentials.resolve(installation, ConnectorSettings.current()).complete();
        return ConnectorStatus.shown(installation.status, complete).json();
    }
}
