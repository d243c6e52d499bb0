package dev.stripeconnector.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;

/** Wakes this replica's delivery worker when a transaction that wrote events commits here. */
@ApplicationScoped
public class DeliverySignal {

    private final Object lock = new Object();
    private final TransactionSynchronizationRegistry transactions;
    private boolean signalled;

    public DeliverySignal(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Nudges the worker once the current transaction has committed (not if it rolls back). */
    public void afterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    nudge();
                }
            }
        });
    }

    public void nudge() {
        synchronized (lock) {
            signalled = true;
            lock.notifyAll();
        }
    }

    /** Waits until nudged or until {@code timeout} has passed. */
    void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!signalled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            signalled = false;
        }
    }
}
