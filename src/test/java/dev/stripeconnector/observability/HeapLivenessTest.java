package dev.stripeconnector.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * Liveness against scripted readings of the old generation (the heap is never actually filled): DOWN only once
 * it stayed at least 90 % full after 3 collections in a row, UP again after one collection that left room.
 */
class HeapLivenessTest {

    private static final long MAX = 256L * 1024 * 1024;

    private final AtomicReference<Optional<HeapReading>> reading = new AtomicReference<>(Optional.empty());
    private final HeapLiveness liveness = new HeapLiveness(reading::get, 90, 3);

    @Test
    void downOnlyWhenTheOldGenerationStaysNearlyFullAfterSeveralCollectionsInARow() {
        assertThat(after(1, 40)).as("40 %").isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(after(2, 95)).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(after(3, 97)).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(after(3, 97)).as("a probe without a new collection counts nothing").isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(after(4, 60)).as("a collection that left room starts again").isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(after(5, 91)).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(after(9, 93)).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(after(12, 99)).as("three collections in a row left it over 90 % full").isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(after(12, 99)).as("no new collection: still DOWN").isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(after(13, 98)).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(after(14, 70)).as("room again").isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void theAnswerNamesThePoolAndWhatTheLastCollectionLeft() {
        reading.set(Optional.of(new HeapReading("Tenured Gen", MAX * 95 / 100, MAX, 7)));
        HealthCheckResponse response = liveness.check();
        assertThat(response.getName()).isEqualTo(HeapLiveness.NAME);
        assertThat(response.getData()).get().satisfies(data -> assertThat(data)
                .containsEntry("pool", "Tenured Gen").containsEntry("usedAfterLastCollectionMiB", 243L)
                .containsEntry("maxMiB", 256L).containsEntry("fullCollectionsInARow", 1L));
    }

    @Test
    void theAsynchronousProbeAnswersWhatOneCheckSees() {
        reading.set(Optional.of(new HeapReading("Tenured Gen", MAX * 95 / 100, MAX, 7)));
        HealthCheckResponse response = liveness.call().await().indefinitely();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData()).get().satisfies(data -> assertThat(data).containsEntry("fullCollectionsInARow", 1L));
    }

    @Test
    void withoutReadingsThereIsNothingToRestartFor() {
        assertThat(liveness.check().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        HeapLiveness failing = new HeapLiveness(() -> {
            throw new UnsupportedOperationException("no memory pools here");
        }, 90, 3);
        assertThat(failing.check().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void thisJvmReportsItsOldGenerationAfterACollection() {
        System.gc();
        Optional<HeapReading> old = new JvmHeapReadings().oldGeneration();
        assertThat(old).as("the old generation of this JVM's collector").isPresent();
        assertThat(old.get().max()).isPositive();
        assertThat(old.get().usedAfterCollection()).isBetween(0L, old.get().max());
        assertThat(old.get().collections()).isPositive();
    }

    private HealthCheckResponse.Status after(long collections, int percentFull) {
        reading.set(Optional.of(new HeapReading("Tenured Gen", MAX * percentFull / 100, MAX, collections)));
        return liveness.check().getStatus();
    }
}
