package dev.stripeconnector.observability;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Liveness is DOWN when the heap stays nearly full after garbage collections. A heap that fills up slowly does
 * not end in an OutOfMemoryError (which would stop the JVM: {@code -XX:+ExitOnOutOfMemoryError}) but in
 * collections that free next to nothing, back to back: requests time out, shutdown hangs, and only a restart
 * helps. One full collection proves nothing (a burst of live data), so the old generation must be at least
 * {@code connector.health.heap.full-percent} full after each of {@code full-collections} collections in a row,
 * as the probes see them: a probe that finds no new collection keeps the previous verdict, and one collection
 * that leaves room is UP again. Kubernetes restarts the pod after its own failure threshold.
 * <p>
 * Asynchronous, so answered on the probe's own event loop: a few reads of the JVM's counters need no worker thread,
 * and Quarkus runs a synchronous check on one, a thread hop for every {@code /q/health/live} (the benchmark's
 * liveness baseline, docs/performance.md, paid it on each request).
 */
@Liveness
@ApplicationScoped
public class HeapLiveness implements AsyncHealthCheck {

    static final String NAME = "Heap after garbage collection";
    private static final Logger LOG = Logger.getLogger(HeapLiveness.class);
    private static final long MIB = 1024 * 1024;

    private final HeapReadings readings;
    private final int fullPercent;
    private final int fullCollections;
    private long lastCollections = -1;
    private int fullInARow;

    @Inject
    public HeapLiveness(HeapReadings readings, HeapHealthConfig config) {
        this(readings, config.fullPercent(), config.fullCollections());
    }

    HeapLiveness(HeapReadings readings, int fullPercent, int fullCollections) {
        this.readings = readings;
        this.fullPercent = fullPercent;
        this.fullCollections = Math.max(1, fullCollections);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(this::check);
    }

    /** The verdict of one probe. */
    HealthCheckResponse check() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        Optional<HeapReading> read;
        try {
            read = readings.oldGeneration();
        } catch (RuntimeException e) {
            // A JVM (or native image) without these readings: nothing to judge by, and no reason to restart.
            read = Optional.empty();
        }
        if (read.isEmpty()) {
            return response.up().withData("readings", "none").build();
        }
        HeapReading reading = read.get();
        boolean wasDown;
        boolean down;
        int inARow;
        synchronized (this) {
            wasDown = fullInARow >= fullCollections;
            if (reading.collections() != lastCollections) {
                fullInARow = reading.fullerThan(fullPercent) ? fullInARow + 1 : 0;
                lastCollections = reading.collections();
            }
            inARow = fullInARow;
            down = inARow >= fullCollections;
        }
        if (down && !wasDown) {
            LOG.warnf("The heap stays nearly full after garbage collections: %s holds %d of %d MiB after each of the last %d;"
                    + " liveness is DOWN, so the pod is restarted", reading.pool(), reading.usedAfterCollection() / MIB,
                    reading.max() / MIB, inARow);
        } else if (wasDown && !down) {
            LOG.infof("The heap has room again after a collection (%d of %d MiB): liveness is UP", reading.usedAfterCollection() / MIB,
                    reading.max() / MIB);
        }
        return response.status(!down)
                .withData("pool", reading.pool())
                .withData("usedAfterLastCollectionMiB", reading.usedAfterCollection() / MIB)
                .withData("maxMiB", reading.max() / MIB)
                .withData("fullCollectionsInARow", inARow)
                .build();
    }
}
