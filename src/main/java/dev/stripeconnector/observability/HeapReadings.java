package dev.stripeconnector.observability;

import java.util.Optional;

/** Where liveness reads the heap from: the JVM's own beans in the service, scripted readings in tests. */
@FunctionalInterface
public interface HeapReadings {

    /** The old generation after its latest collection, or empty where the JVM does not report one. */
    Optional<HeapReading> oldGeneration();
}
