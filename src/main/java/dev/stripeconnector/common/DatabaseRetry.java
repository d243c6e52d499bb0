package dev.stripeconnector.common;

import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * For the writes that must not be lost because Stripe already acted (tokens it granted or
 * rolled): the write is tried again while the database is briefly unreachable. Blocking; every
 * other failure is passed on at once.
 */
public final class DatabaseRetry {

    private static final Logger LOG = Logger.getLogger(DatabaseRetry.class);
    public static final Duration PATIENCE = Duration.ofSeconds(15);

    private DatabaseRetry() {
    }

    public static <T> T write(Supplier<T> transaction) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long pause = 250;
        while (true) {
            try {
                return transaction.get();
            } catch (RuntimeException failure) {
                if (!DatabaseFailures.isUnavailable(failure) || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw failure;
                }
                LOG.warnf("The database is unreachable while storing what Stripe granted; trying again in %d ms", pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
                pause = Math.min(pause * 2, 2000);
            }
        }
    }
}
