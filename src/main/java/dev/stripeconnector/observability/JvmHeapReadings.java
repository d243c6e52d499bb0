package dev.stripeconnector.observability;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The old generation as the JVM's management beans report it: of the heap pools whose usage after a collection
 * the JVM records, the one that may grow largest (the serial collector's {@code Tenured Gen}, G1's
 * {@code G1 Old Gen}); its collections are those of the collectors that manage it.
 */
@ApplicationScoped
public class JvmHeapReadings implements HeapReadings {

    @Override
    public Optional<HeapReading> oldGeneration() {
        MemoryPoolMXBean old = null;
        long oldMax = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getCollectionUsage() != null && max > oldMax) {
                old = pool;
                oldMax = max;
            }
        }
        if (old == null) {
            return Optional.empty();
        }
        MemoryUsage after = old.getCollectionUsage();
        List<String> managers = Arrays.asList(old.getMemoryManagerNames());
        long collections = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (managers.contains(collector.getName()) && collector.getCollectionCount() > 0) {
                collections += collector.getCollectionCount();
            }
        }
        return Optional.of(new HeapReading(old.getName(), after.getUsed(), oldMax, collections));
    }
}
