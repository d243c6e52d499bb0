package dev.stripeconnector.audit;

import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.ConsolePrincipal;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Records changes in the audit trail, inside the transaction that makes them: a change rolled back leaves
 * no record, and a record never exists without its change. The one place that knows who the caller is
 * (a console user, or an API key by its name) and where the request came from (the client's address as
 * Quarkus gives it: the forwarded one only from a trusted proxy, {@code quarkus.http.proxy.trusted-proxies}).
 * Services call it with what changed: an action, the names of the fields changed (never their values).
 */
@ApplicationScoped
public class AuditTrail {

    private static final String INSERT = """
            insert into audit_record (id, partner_id, occurred_at, actor_kind, actor_operator, actor_name, action, account_id, subject, fields,
                detail, client_address)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final AgroalDataSource dataSource;
    private final TransactionManager transactions;
    private final ServiceClock clock;

    public AuditTrail(AgroalDataSource dataSource, TransactionManager transactions, ServiceClock clock) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Records a change made by the current caller to {@code partner}'s data (null: the operators' own records).
     *
     * @param accountId the installation changed, or null
     * @param subject   what else was changed, by name or id (a console user, a key, a subscription), or null
     * @param fields    the names of the fields changed, never their values
     */
    public void record(PartnerId partner, String action, String accountId, String subject, Collection<String> fields) {
        record(currentActor(), partner, action, accountId, subject, fields, null);
    }

    /**
     * Records an action of the current caller that changes rows rather than fields (a redelivery, a purge):
     * {@code detail} says what it did, in ids and counts, never a secret.
     */
    public void record(PartnerId partner, String action, String accountId, String subject, String detail) {
        record(currentActor(), partner, action, accountId, subject, List.of(), detail);
    }

    /** Records a change made by {@code actor}, which the request does not name (Stripe, a background run). */
    public void record(Actor actor, PartnerId partner, String action, String accountId, String subject, Collection<String> fields) {
        record(actor, partner, action, accountId, subject, fields, null);
    }

    private void record(Actor actor, PartnerId partner, String action, String accountId, String subject, Collection<String> fields,
                        String detail) {
        requireTransaction();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, partner == null ? null : partner.value());
            insert.setObject(3, clock.now().atOffset(ZoneOffset.UTC));
            insert.setString(4, actor.kind().stored());
            insert.setBoolean(5, actor.kind().operator());
            insert.setString(6, actor.name());
            insert.setString(7, action);
            insert.setString(8, accountId);
            insert.setString(9, subject);
            insert.setString(10, String.join(",", fields == null ? List.of() : fields));
            insert.setString(11, detail);
            insert.setString(12, clientAddress());
            insert.executeUpdate();
        } catch (SQLException e) {
            // Fails the change with it: a change that cannot be recorded is not made.
            throw new StatementFailed("The audit record of " + action + " could not be written, so the change was not made", e);
        }
    }

    /** A record outside a transaction would outlive a change that fails: refused, so no caller can forget one. */
    private void requireTransaction() {
        try {
            if (transactions.getStatus() != Status.STATUS_ACTIVE) {
                throw new IllegalStateException("An audit record is written in the transaction of its change");
            }
        } catch (SystemException e) {
            throw new IllegalStateException("The transaction's status is unknown: " + e.getMessage(), e);
        }
    }

    /**
     * The request's caller: a console user by name, an API key by its name, each a partner's or the operator's (whose
     * changes reach across partners); the service when there is no caller.
     */
    Actor currentActor() {
        if (!requestActive()) {
            return Actor.SERVICE;
        }
        SecurityIdentity identity = Arc.container().instance(SecurityIdentity.class).get();
        if (identity == null || identity.isAnonymous()) {
            return Actor.SERVICE;
        }
        if (identity.getPrincipal() instanceof ConsolePrincipal principal) {
            return principal.operator() ? Actor.operatorUser(principal.username()) : Actor.user(principal.username());
        }
        String key = identity.getPrincipal().getName();
        return Callers.operator(identity) ? Actor.operatorKey(key) : Actor.key(key);
    }

    /** The client's address as the HTTP layer resolved it (a forwarded one only from a trusted proxy); null outside a request. */
    private static String clientAddress() {
        if (!requestActive()) {
            return null;
        }
        RoutingContext request = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        SocketAddress address = request == null ? null : request.request().remoteAddress();
        return address == null ? null : address.hostAddress();
    }

    private static boolean requestActive() {
        ArcContainer container = Arc.container();
        return container != null && container.requestContext().isActive();
    }
}
