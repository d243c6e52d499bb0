package dev.stripeconnector.account;

import dev.stripeconnector.events.Event;
import dev.stripeconnector.events.EventOutbox;
import dev.stripeconnector.events.EventType;
import dev.stripeconnector.partner.PartnerId;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns changes of an installation into events, in the transaction of the change. A service takes a
 * {@link Before} snapshot, applies the change through the entity's methods, and calls
 * {@link #changed}: what the change did (a new connection, rolled tokens, a revocation, an error, a
 * recovery) decides the event, so every path that changes a connection is covered the same way.
 */
@ApplicationScoped
public class InstallationEvents {

    /** The status an event about a removed installation carries: there is no installation left to have one. */
    public static final String REMOVED = "removed";

    private final EventOutbox outbox;
    private final Installations installations;
    @jakarta.inject.Inject
    dev.stripeconnector.observability.ConnectorMetrics metrics;

    public InstallationEvents(EventOutbox outbox, Installations installations) {
        this.outbox = outbox;
        this.installations = installations;
    }

    /** What an event compares: the installation as it was before a change. */
    public record Before(String status, String lastError, Instant tokensRefreshedAt, boolean hasConnection,
                         String stripeUserId, Boolean livemode, String scope) {
    }

    public Before before(AccountConnector installation) {
        InstallationState.Standing standing = installations.standingOf(installation);
        return new Before(standing.status().json(), installation.lastError, installation.tokensRefreshedAt,
                standing.hasConnection(), installation.stripeUserId, installation.livemode, installation.scope);
    }

    public void created(AccountConnector installation) {
        outbox.record(installation.partner(), EventType.INSTALLATION_CREATED, installation.accountId, installation.id,
                data(installation, installations.standingOf(installation).status().json(), null, null));
    }

    /** The account's own values changed: {@code fields} names them (never their values). */
    public void credentialsChanged(AccountConnector installation, Before before, List<String> fields) {
        if (!fields.isEmpty()) {
            outbox.record(installation.partner(), EventType.INSTALLATION_CREDENTIALS_CHANGED, installation.accountId, installation.id,
                    data(installation, installations.standingOf(installation).status().json(), before.status(), null).withChanged(fields));
        }
    }

    /**
     * The installation was removed ({@code before} taken before it was deleted; call last in the
     * transaction): status {@code removed}, with the connection it had.
     */
    public void removed(AccountConnector installation, Before before, boolean stripeNotified) {
        outbox.record(installation.partner(), EventType.INSTALLATION_REMOVED, installation.accountId, installation.id,
                formerConnection(installation, REMOVED, before, stripeNotified ? "disconnected" : "removed").withStripeNotified(stripeNotified));
    }

    /**
     * The partner disconnected the installation and kept it ({@code before} taken before the connection
     * was wiped; call last in the transaction): status {@code disconnected}, naming the Stripe account it
     * was connected to; cause {@code disconnected_here} when it was forced without Stripe's confirmation.
     */
    public void disconnected(AccountConnector installation, Before before, boolean stripeNotified, boolean forced) {
        outbox.record(installation.partner(), EventType.INSTALLATION_DISCONNECTED, installation.accountId, installation.id,
                formerConnection(installation, installations.standingOf(installation).status().json(), before,
                        forced ? "disconnected_here" : "disconnected").withStripeNotified(stripeNotified));
    }

    /** The event's data for an installation whose connection is gone: the connection as it was. */
    private static Event.EventData formerConnection(AccountConnector installation, String status, Before before, String cause) {
        Event.ErrorData error = installation.lastError == null ? null
                : new Event.ErrorData(installation.lastError, installation.lastErrorDescription);
        return Event.EventData.installation(status, before.status(), cause, before.stripeUserId(), before.livemode(), before.scope(), error);
    }

    /**
     * A new connection was stored ({@link Grants}): {@code connected}, cause {@code authorized}, or {@code reauthorized}
     * when it replaced an earlier one.
     */
    public void connected(PartnerId partner, UUID installationId, String accountId, Grants.Stored stored, Grants.Grant grant) {
        outbox.recordWithoutEntities(partner, EventType.INSTALLATION_CONNECTED, accountId, installationId,
                Event.EventData.installation(stored.status().json(), stored.previousStatus().json(),
                        stored.reconnected() ? "reauthorized" : "authorized", grant.stripeUserId(), grant.livemode(), grant.scope(), null));
        metrics.connectionChanged(partner, changeOf(EventType.INSTALLATION_CONNECTED));
    }

    /**
     * Writes the event a change made, if it made one: rolled tokens ({@code refreshed}), lost access
     * ({@code revoked}, cause {@code deauthorized} or {@code access_revoked}), access working again or an
     * error cleared ({@code connected}, cause {@code verified}), or a new error ({@code error}, cause its
     * code). Facts alone (a verify that changed nothing else) are not an event. A new connection is not
     * made through the entity: {@link #connected}.
     */
    public void changed(Before before, AccountConnector after) {
        InstallationState.Standing standing = installations.standingOf(after);
        String status = standing.status().json();
        boolean hasConnection = standing.hasConnection();
        if (!Objects.equals(before.tokensRefreshedAt(), after.tokensRefreshedAt) && after.tokensRefreshedAt != null) {
            record(EventType.INSTALLATION_REFRESHED, after, status, before, null);
        } else if (after.status == ConnectorStatus.REVOKED && (!status.equals(before.status()) || before.hasConnection() != hasConnection)) {
            record(EventType.INSTALLATION_REVOKED, after, status, before, after.lastError);
        } else if (after.status == ConnectorStatus.CONNECTED
                && (!status.equals(before.status()) || (before.lastError() != null && after.lastError == null))) {
            record(EventType.INSTALLATION_CONNECTED, after, status, before, "verified");
        } else if (after.lastError != null && (!after.lastError.equals(before.lastError()) || !status.equals(before.status()))) {
            record(EventType.INSTALLATION_ERROR, after, status, before, after.lastError);
        }
    }

    private void record(EventType type, AccountConnector installation, String status, Before before, String cause) {
        outbox.record(installation.partner(), type, installation.accountId, installation.id, data(installation, status, before.status(), cause));
        metrics.connectionChanged(installation.partner(), changeOf(type));
    }

    /** The change an installation event names: its type after {@code installation.}. */
    private static String changeOf(EventType type) {
        return type.json().substring(type.json().indexOf('.') + 1);
    }

    /** The event's data: {@code status} as the API shows it (from the view). */
    private static Event.EventData data(AccountConnector installation, String status, String previousStatus, String cause) {
        Event.ErrorData error = installation.lastError == null ? null
                : new Event.ErrorData(installation.lastError, installation.lastErrorDescription);
        return Event.EventData.installation(status, previousStatus, cause, installation.stripeUserId,
                installation.livemode, installation.scope, error);
    }
}
