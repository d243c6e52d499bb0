package dev.stripeconnector.observability;

/**
 * The heap's long-lived pool (the old generation) as its latest garbage collection left it.
 *
 * @param pool                the pool's name, as the JVM calls it ({@code Tenured Gen} for the serial collector)
 * @param usedAfterCollection bytes still in use right after the pool's latest collection
 * @param max                 the most bytes the pool may grow to
 * @param collections         how many collections of the pool there have been so far
 */
public record HeapReading(String pool, long usedAfterCollection, long max, long collections) {

    boolean fullerThan(int percent) {
        return usedAfterCollection * 100 >= (long) percent * max;
    }
}
