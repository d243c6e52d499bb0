package dev.stripeconnector.observability;

import dev.stripeconnector.partner.PartnerId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Locale;

/**
 * What people do through the service, per partner (partners are few and known; accounts are never a tag):
 * {@code connector_oauth_callbacks_total{partner, outcome}}, {@code connector_install_links_issued_total{partner}},
 * {@code connector_install_links_used_total{partner}}, {@code connector_console_sign_ins_total{partner, outcome}} and
 * {@code connector_connection_changes_total{partner, change}}.
 * A series appears on its first use; SeriesCap bounds them all the same.
 */
@ApplicationScoped
public class ConnectorMetrics {

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;

    public ConnectorMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
    }

    /** One OAuth callback ended with {@code outcome} (CallbackOutcome's kind: connected, declined, state_expired, …). */
    public void callback(PartnerId partner, Enum<?> outcome) {
        Counter.builder("connector.oauth.callbacks").description("OAuth callbacks from Stripe, by how they ended")
                .tag("partner", partner.value()).tag("outcome", tag(outcome)).register(registry).increment();
    }

    /** An install (setup) link was created. */
    public void installLinkIssued(PartnerId partner) {
        Counter.builder("connector.install.links.issued").description("Install links created")
                .tag("partner", partner.value()).register(registry).increment();
    }

    /** An install link was opened and spent on its way to Stripe. */
    public void installLinkUsed(PartnerId partner) {
        Counter.builder("connector.install.links.used").description("Install links used (the person went on to Stripe)")
                .tag("partner", partner.value()).register(registry).increment();
    }

    /**
     * A connection changed ({@code connected}, {@code refreshed}, {@code revoked}, {@code error}: the installation event's
     * kind), counted once the change's transaction commits, so a change rolled back is not.
     */
    public void connectionChanged(PartnerId partner, String change) {
        Counter counter = Counter.builder("connector.connection.changes").description("Connections made, refreshed, revoked or failed")
                .tag("partner", partner.value()).tag("change", change).register(registry);
        int status = transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            counter.increment();
            return;
        }
        if (status != Status.STATUS_ACTIVE) {
            return; // Marked for rollback: the change will not happen.
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    counter.increment();
                }
            }
        });
    }

    /** A console sign-in ended with {@code outcome}: {@code success}, or the refusal's reason ({@code locked} is a lock-out). */
    public void signIn(PartnerId partner, String outcome) {
        Counter.builder("connector.console.sign.ins").description("Console sign-ins, by outcome (locked: refused by a lock-out)")
                .tag("partner", partner.value()).tag("outcome", outcome).register(registry).increment();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
