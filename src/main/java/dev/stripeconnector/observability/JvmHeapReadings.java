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
 * {@code G1 Old Gen}); its collections are those of the collectors that manage it. The beans are looked up once
 * (they last as long as the JVM), so a probe reads a few numbers.
 */
@ApplicationScoped
public class JvmHeapReadings implements HeapReadings {

    private final MemoryPoolMXBean old;
    private final List<GarbageCollectorMXBean> collectors;

    public JvmHeapReadings() {
        MemoryPoolMXBean largest = null;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getCollectionUsage() != null
                    && max(pool) > (largest == null ? 0 : max(largest))) {
                largest = pool;
            }
        }
        old = largest;
        List<String> managers = old == null ? List.of() : Arrays.asList(old.getMemoryManagerNames());
        collectors = ManagementFactory.getGarbageCollectorMXBeans().stream().filter(c -> managers.contains(c.getName())).toList();
    }

    @Override
    public Optional<HeapReading> oldGeneration() {
        if (old == null) {
            return Optional.empty();
        }
        MemoryUsage after = old.getCollectionUsage();
        long collections = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            collections += Math.max(0, collector.getCollectionCount());
        }
        return Optional.of(new HeapReading(old.getName(), after.getUsed(), max(old), collections));
    }

    private static long max(MemoryPoolMXBean pool) {
        MemoryUsage usage = pool.getUsage();
        return usage == null ? -1 : usage.getMax();
    }
}
