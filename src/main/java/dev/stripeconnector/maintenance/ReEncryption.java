package dev.stripeconnector.maintenance;

import dev.stripeconnector.audit.Actor;
import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.crypto.SecretDecryptionException;
import dev.stripeconnector.crypto.StoredSecrets;
import dev.stripeconnector.observability.TraceContexts;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Rewrites every stored secret that is not under the primary encryption key, so that an old key
 * can be retired. Each table is walked once in id order, in small batches: a batch locks its rows
 * with {@code FOR UPDATE SKIP LOCKED} (a row a request holds is left for a later run, never waited
 * for), decrypts the values under an old key and encrypts them under the primary one, and bumps
 * the row's version, so a request still holding the old copy cannot write it back unnoticed. Every
 * batch commits on its own: a crash loses at most one batch's work, and a later run continues
 * with what remains. Several replicas may run it at once: a locked row is skipped, a rewritten one
 * no longer matches.
 */
@ApplicationScoped
public class ReEncryption {

    private static final Logger LOG = Logger.getLogger(ReEncryption.class);
    static final int BATCH = 200;

    private final AgroalDataSource dataSource;
    private final SecretCipher cipher;
    private final ServiceClock clock;
    private final MeterRegistry metrics;
    private final Counter rewritten;
    private final Tracer tracer;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Long> lastCounts = new ConcurrentHashMap<>();
    private final AuditTrail audit;
    private volatile LastRun lastRun;

    public ReEncryption(AgroalDataSource dataSource, SecretCipher cipher, ServiceClock clock, MeterRegistry metrics, AuditTrail audit,
            Tracer tracer) {
        this.audit = audit;
        this.dataSource = dataSource;
        this.tracer = tracer;
        this.cipher = cipher;
        this.clock = clock;
        this.metrics = metrics;
        this.rewritten = Counter.builder("connector.encryption.rewritten")
                .description("Stored secrets re-encrypted under the primary key").register(metrics);
        // As of this replica's last count (a run, or a status read); "stuck" is remaining > 0 with no run going.
        metrics.gauge("connector.encryption.remaining", lastCounts, counts -> counts.entrySet().stream()
                .filter(e -> !e.getKey().equals(cipher.primaryKeyId())).mapToLong(Map.Entry::getValue).sum());
        metrics.gauge("connector.encryption.running", running, r -> r.get() ? 1 : 0);
    }

    /** How many stored values one key id protects. */
    public record KeyCount(String keyId, long values, boolean configured, boolean primary) {
    }

    /** The outcome of the last run on this replica. */
    public record LastRun(Instant startedAt, Instant finishedAt, long rewritten,
                          @Schema(description = "rows left as they are because a value cannot be decrypted") long skipped,
                          @Schema(nullable = true, description = "why the run stopped early; a later run continues") String problem) {
    }

    /** Where re-encryption stands: values per key id, how many are not under the primary key, this replica's last run. */
    public record Status(String primaryKeyId, List<KeyCount> keys,
                         @Schema(description = "stored values not under the primary key") long remaining, boolean running,
                         @Schema(description = "this replica's last run; absent before its first")
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) LastRun lastRun) {
    }

    public Status status() {
        Map<String, Long> counts;
        try (Connection connection = dataSource.getConnection()) {
            counts = StoredSecrets.countByKey(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the stored secrets", e);
        }
        remember(counts);
        List<String> configured = cipher.keyIds();
        List<KeyCount> keys = new ArrayList<>();
        for (String keyId : configured) {
            keys.add(new KeyCount(keyId, counts.getOrDefault(keyId, 0L), true, keyId.equals(cipher.primaryKeyId())));
        }
        counts.forEach((keyId, values) -> {
            if (!configured.contains(keyId)) {
                keys.add(new KeyCount(keyId, values, false, false));
            }
        });
        long remaining = counts.entrySet().stream().filter(e -> !e.getKey().equals(cipher.primaryKeyId()))
                .mapToLong(Map.Entry::getValue).sum();
        return new Status(cipher.primaryKeyId(), keys, remaining, running.get(), lastRun);
    }

    /** Starts a run in the background unless one is running on this replica; answers at once. */
    public Status start() {
        if (running.compareAndSet(false, true)) {
            try {
                // Who asked for the run (its batches are recorded as they commit); nothing else changes here, so its own transaction.
                QuarkusTransaction.requiringNew().run(() -> audit.record(null, "secrets.start-re-encryption", null, null, List.of()));
            } catch (RuntimeException e) {
                running.set(false);
                throw e;
            }
            // In the trace of the operator's request that started it.
            Thread.ofVirtual().name("re-encryption").start(Context.current().wrap(this::runAndRelease));
        }
        return status();
    }

    /** The optional schedule, {@code connector.encryption.re-encrypt-every} (off by default: see docs/operations.md). */
    @Scheduled(every = "${connector.encryption.re-encrypt-every:off}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "re-encryption")
    void scheduled() {
        if (running.compareAndSet(false, true)) {
            runAndRelease();
        }
    }

    private void runAndRelease() {
        try {
            TraceContexts.job(tracer, "re-encryption", this::run);
        } finally {
            running.set(false);
        }
    }

    /** One pass over every table; the number of values rewritten. */
    long run() {
        Instant started = clock.now();
        List<String> oldPatterns = cipher.keyIds().stream().filter(k -> !k.equals(cipher.primaryKeyId())).map(k -> "v1:" + k + ":%").toList();
        long total = 0;
        long skipped = 0;
        String problem = null;
        if (!oldPatterns.isEmpty()) {
            for (StoredSecrets.Table table : StoredSecrets.TABLES) {
                Object after = null;
                while (true) {
                    Batch batch;
                    try {
                        Object from = after;
                        batch = QuarkusTransaction.requiringNew().call(() -> rewrite(table, oldPatterns, from));
                    } catch (RuntimeException e) {
                        problem = "stopped in " + table.name() + ": " + e.getMessage();
                        LOG.warnf("Re-encryption %s; a later run continues", problem);
                        break;
                    }
                    total += batch.rewritten();
                    // Counted per batch, so a long run shows its progress (an alert tells a slow run from a stuck one).
                    rewritten.increment(batch.rewritten());
                    skipped += batch.unreadable();
                    if (batch.lastId() == null) {
                        break;
                    }
                    after = batch.lastId();
                }
                if (problem != null) {
                    break;
                }
            }
        }
        lastRun = new LastRun(started, clock.now(), total, skipped, problem);
        if (total > 0 || skipped > 0) {
            LOG.infof("Re-encryption rewrote %d stored secrets under key '%s'%s", total, cipher.primaryKeyId(),
                    skipped > 0 ? "; " + skipped + " rows hold a value that cannot be decrypted and were left as they are" : "");
        }
        status();
        return total;
    }

    private record Batch(int rewritten, int unreadable, Object lastId) {
    }

    private Batch rewrite(StoredSecrets.Table table, List<String> oldPatterns, Object afterId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String sql = table.claimSql(afterId != null);
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement claim = connection.prepareStatement(sql)) {
                int p = 1;
                for (int i = 0; i < table.columns().size(); i++) {
                    claim.setArray(p++, connection.createArrayOf("text", oldPatterns.toArray()));
                }
                if (afterId != null) {
                    claim.setObject(p++, afterId);
                }
                claim.setInt(p, BATCH);
                try (ResultSet found = claim.executeQuery()) {
                    while (found.next()) {
                        Object[] row = new Object[table.columns().size() + 1];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = found.getObject(i + 1);
                        }
                        rows.add(row);
                    }
                }
            }
            int done = 0;
            int unreadable = 0;
            try (PreparedStatement update = connection.prepareStatement(table.rewriteSql())) {
                for (Object[] row : rows) {
                    String[] values = new String[table.columns().size()];
                    try {
                        for (int i = 0; i < values.length; i++) {
                            String stored = (String) row[i + 1];
                            values[i] = stored == null || cipher.primaryKeyId().equals(SecretCipher.keyIdOf(stored)) ? stored
                                    : cipher.encrypt(cipher.decrypt(stored));
                        }
                    } catch (SecretDecryptionException e) {
                        unreadable++;
                        continue;
                    }
                    for (int i = 0; i < values.length; i++) {
                        update.setString(i + 1, values[i]);
                    }
                    update.setObject(values.length + 1, row[0]);
                    update.addBatch();
                    done++;
                }
                if (done > 0) {
                    update.executeBatch();
                    // Service-wide (the operators' trail): which stored values were rewritten, in this batch's transaction.
                    audit.record(Actor.RE_ENCRYPTION, null, "secrets.re-encrypt", null, table.name(), table.columns());
                }
            }
            return new Batch(done, unreadable, rows.isEmpty() ? null : rows.get(rows.size() - 1)[0]);
        }
    }

    private void remember(Map<String, Long> counts) {
        lastCounts.replaceAll((k, v) -> counts.getOrDefault(k, 0L));
        counts.forEach((keyId, values) -> {
            if (lastCounts.put(keyId, values) == null) {
                metrics.gauge("connector.encryption.values", Tags.of("key_id", keyId), lastCounts, m -> m.getOrDefault(keyId, 0L));
            }
        });
    }
}
