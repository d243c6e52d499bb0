package dev.stripeconnector.oauth;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The OAuth callbacks being completed. Each runs on a subscription of its own, so that a browser
 * that leaves cannot cancel a token exchange whose code is already spent; and a service told to stop
 * waits for them (bounded), before its HTTP client and database close, so that what Stripe granted
 * is stored.
 */
@Singleton
public class CallbacksInFlight {

    private static final Logger LOG = Logger.getLogger(CallbacksInFlight.class);
    /**
     * Many times a token exchange's usual time, and with the HTTP server's graceful 30 s and the 5 s
     * preStop pause still inside the pod's 45 s termination grace period (deploy/).
     */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(8);

    private int running;

    /** Starts {@code work} now, detached from whoever waits for its answer. */
    public <T> Uni<T> run(Uni<T> work) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        started();
        work.subscribe().with(item -> {
            finished();
            answer.complete(item);
        }, failure -> {
            finished();
            answer.completeExceptionally(failure);
        });
        return Uni.createFrom().completionStage(answer);
    }

    private synchronized void started() {
        running++;
    }

    private synchronized void finished() {
        running--;
        notifyAll();
    }

    /**
     * Quarkus fires this first when it is told to stop ({@code quarkus.shutdown.delay-enabled}), while
     * every bean, the HTTP client and the datasource still work; shutting down goes on when it returns.
     */
    void awaitOnShutdown(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException {
        await(SHUTDOWN_WAIT);
    }

    synchronized boolean await(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        if (running > 0) {
            LOG.infof("Waiting up to %d s for %d OAuth callback(s) to store what Stripe granted", patience.toSeconds(), running);
        }
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.errorf("%d OAuth callback(s) still running at shutdown: their connections may not be stored", running);
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
