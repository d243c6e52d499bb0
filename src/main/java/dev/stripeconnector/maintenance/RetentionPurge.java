package dev.stripeconnector.maintenance;

import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.observability.TraceContexts;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps every log-like table bounded: rows older than their retention ({@link RetentionConfig})
 * are deleted in batches. Every replica schedules the purge; a PostgreSQL advisory lock lets one
 * of them run it at a time, and the others skip that round.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    /** The advisory lock's key: any number no other part of the service uses. */
    static final long LOCK = 0x5354_5249_5045_0001L;
    /** Stripe redelivers an event for up to 3 days; a shorter retention would handle a redelivery twice (start-up refuses it). */
    public static final Duration SHORTEST_WEBHOOK_RETENTION = Duration.ofDays(3);

    /**
     * One table's rule: the rows whose {@code age} column is older than the retention go, unless
     * {@code keep} (a condition on the row, or null) holds.
     */
    record Rule(String table, String id, String age, Duration retention, String keep) {
        Rule(String table, String id, String age, Duration retention) {
            this(table, id, age, retention, null);
        }

        String deleteSql() {
            return "delete from " + table + " where " + id + " in (select " + id + " from " + table + " where " + age
                    + " < ?" + (keep == null ? "" : " and not (" + keep + ")") + " limit ?)";
        }
    }

    private final AgroalDataSource dataSource;
    private final ServiceClock clock;
    private final RetentionConfig config;
    private final MeterRegistry metrics;
    private final List<Rule> rules;
    private final Tracer tracer;
    private final AuditTrail audit;
    /** When this replica last finished a purge (epoch seconds; 0 before its first). */
    private final AtomicLong lastPurged = new AtomicLong();

    public RetentionPurge(AgroalDataSource dataSource, ServiceClock clock, RetentionConfig config, MeterRegistry metrics, Tracer tracer,
                          AuditTrail audit) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.tracer = tracer;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
        // One replica purges per round (the advisory lock): the alert reads the newest of all replicas' values.
        Gauge.builder("connector.retention.last.purge.timestamp", lastPurged, AtomicLong::get).baseUnit("seconds")
                .description("When this replica last finished a retention purge, in seconds since the epoch (0 before its first)")
                .register(metrics);
        this.rules = List.of(
                new Rule("credential_read", "id", "read_at", config.credentialReads()),
                new Rule("audit_record", "id", "occurred_at", config.audit()),
                new Rule("webhook_event", "event_id", "received_at", config.webhookEvents()),
                new Rule("authorization_request", "id", "greatest(expires_at, setup_expires_at)", config.authorizationRequests()),
                new Rule("sign_in_attempt", "subject", "coalesce(locked_until, window_started_at)", config.signInAttempts()),
                new Rule("event_delivery_attempt", "id", "attempted_at", config.eventDeliveryAttempts()),
                // An event goes with its deliveries and their attempts (foreign keys cascade), but never while one of
                // its deliveries is still being retried; a failed delivery stays for replay as long as its event.
                new Rule("connector_event", "id", "created_at", config.events(), "exists (select 1 from event_delivery d"
                        + " where d.event_id = connector_event.id and d.status = 'PENDING')"));
    }

    @Scheduled(every = "${connector.retention.every:PT10M}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "retention-purge")
    void scheduled() {
        try {
            TraceContexts.job(tracer, "retention purge", () -> purge());
        } catch (RuntimeException e) {
            LOG.warnf("The retention purge failed (%s); the next round tries again", e.getMessage());
        }
    }

    /**
     * The purge an operator forces ({@code POST /api/v1/maintenance/purge}), as a job's span of its own in the request's
     * trace: each batch that deletes rows is in the operators' audit trail, in the batch's transaction. The scheduled
     * rounds are not recorded: they do what the retention settings say, every few minutes, and would bury the rest.
     */
    public Optional<Map<String, Long>> purgeNow() {
        return TraceContexts.job(tracer, "retention purge", () -> purge(true));
    }

    /**
     * Deletes what is past its retention, table by table, as a scheduled round (unrecorded); how many rows each
     * lost. Empty when another replica is purging right now.
     */
    public Optional<Map<String, Long>> purge() {
        return purge(false);
    }

    private Optional<Map<String, Long>> purge(boolean audited) {
        try (Connection lockHolder = dataSource.getConnection()) {
            if (!advisory(lockHolder, "pg_try_advisory_lock")) {
                return Optional.empty();
            }
            try {
                Map<String, Long> purged = new LinkedHashMap<>();
                Instant now = clock.now();
                for (Rule rule : rules) {
                    long deleted = purge(rule, now.minus(rule.retention()), audited);
                    purged.put(rule.table(), deleted);
                    if (deleted > 0) {
                        Counter.builder("connector.retention.purged").tag("table", rule.table())
                                .description("Rows deleted past their retention").register(metrics).increment(deleted);
                        LOG.infof("Retention: deleted %d rows of %s older than %s", deleted, rule.table(), rule.retention());
                    }
                }
                lastPurged.set(now.getEpochSecond());
                return Optional.of(purged);
            } finally {
                advisory(lockHolder, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The retention purge could not reach the database: " + e.getMessage(), e);
        }
    }

    private long purge(Rule rule, Instant cutoff, boolean audited) {
        long total = 0;
        while (true) {
            int deleted = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement delete = connection.prepareStatement(rule.deleteSql())) {
                    delete.setObject(1, cutoff.atOffset(java.time.ZoneOffset.UTC));
                    delete.setInt(2, config.batch());
                    int rows = delete.executeUpdate();
                    if (audited && rows > 0) {
                        // Service-wide (the operators' trail): the rows of every partner older than the cutoff.
                        audit.record(null, "retention.purge", null, rule.table(),
                                rows + (rows == 1 ? " row" : " rows") + " older than " + cutoff + " (retention " + asConfigured(rule.retention()) + ")");
                    }
                    return rows;
                }
            });
            total += deleted;
            if (deleted < config.batch()) {
                return total;
            }
        }
    }

    /** A retention as its setting is usually written: P400D, not Duration's PT9600H. */
    private static String asConfigured(Duration retention) {
        return retention.toSeconds() % Duration.ofDays(1).toSeconds() == 0 ? "P" + retention.toDays() + "D" : retention.toString();
    }

    private static boolean advisory(Connection connection, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select " + function + "(?)")) {
            statement.setLong(1, LOCK);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
