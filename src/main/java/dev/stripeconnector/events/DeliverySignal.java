package dev.stripeconnector.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;

/** Wakes this replica's delivery worker when a transaction that wrote events commits here. */
@ApplicationScoped
public class DeliverySignal {

    private final TransactionSynchronizationRegistry transactions;
    private final Wakeup wakeup = new Wakeup();

    public DeliverySignal(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Nudges the worker once the current transaction has committed (not if it rolls back). */
    public void afterCommit() {
        wakeup.nudgeAfterCommit(transactions);
    }

    public void nudge() {
        wakeup.nudge();
    }

    /** Waits until nudged or until {@code timeout} has passed. */
    void await(Duration timeout) throws InterruptedException {
        wakeup.await(timeout);
    }
}
