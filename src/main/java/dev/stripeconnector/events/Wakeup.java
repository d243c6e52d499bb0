package dev.stripeconnector.events;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes one background loop early: nudges before or during its wait end the wait, and count as one.
 * A nudge comes from a committing request's thread, so it takes no lock: a flag and an unpark.
 */
final class Wakeup {

    private final AtomicBoolean signalled = new AtomicBoolean();
    private volatile Thread waiter;

    void nudge() {
        signalled.set(true);
        Thread waiting = waiter;
        if (waiting != null) {
            LockSupport.unpark(waiting);
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

    /** Waits (one loop at a time) until nudged or until {@code timeout} has passed; answers whether it was nudged. */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiter = Thread.currentThread();
        try {
            while (!signalled.getAndSet(false)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
