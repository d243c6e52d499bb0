package dev.stripeconnector.events;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;

/** Wakes a background loop early: nudges before or during its wait end the wait, and count as one. */
final class Wakeup {

    private final Object lock = new Object();
    private boolean signalled;

    void nudge() {
        synchronized (lock) {
            signalled = true;
            lock.notifyAll();
        }
    }

    /** Nudges once the current transaction has committed (not if it rolls back). */
    void nudgeAfterCommit(TransactionSynchronizationRegistry transactions) {
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

    /** Waits until nudged or until {@code timeout} has passed; answers whether it was nudged. */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!signalled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            signalled = false;
            return true;
        }
    }
}
