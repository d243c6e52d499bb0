package dev.stripeconnector.partner;

import dev.stripeconnector.common.Sha256;
import dev.stripeconnector.common.StatementFailed;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reads of partners' API keys, each row as a record whose components are the table's columns, read by
 * name; and the one read every request with a partner's key makes. Writes go through {@link PartnerKey}.
 */
@ApplicationScoped
public class PartnerKeys {

    private static final Logger LOG = Logger.getLogger(PartnerKeys.class);

    /** last_used_at is written at most this often per key: a request never waits on a write it does not need. */
    public static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);

    /**
     * A presented key and its partner's status in one read by the primary key (partner id, hash), on every
     * request: a revoked or expired key, or a disabled partner, stops working at once on every replica.
     */
    private static final String PRESENTED = """
            select k.partner_id, k.id, k.name, k.prefix, k.roles, k.created_at, k.last_used_at, k.expires_at, k.revoked_at,
                   k.replaced_by, p.status as partner_status
              from api_key k join partner p on p.id = k.partner_id
             where k.partner_id = ? and k.key_hash = ?""";
    private static final String OF_PARTNER = """
            select partner_id, id, name, prefix, roles, created_at, last_used_at, expires_at, revoked_at, replaced_by
              from api_key where partner_id = ? order by created_at, id""";
    private static final String ONE = """
            select partner_id, id, name, prefix, roles, created_at, last_used_at, expires_at, revoked_at, replaced_by
              from api_key where partner_id = ? and id = ?""";
    /** Conditional, so replicas racing on the same key write it once: the second finds the first's time. */
    private static final String USED = """
            update api_key set last_used_at = ?
             where partner_id = ? and id = ? and (last_used_at is null or last_used_at <= ?)""";

    /** A key as stored (never its hash). */
    public record Row(PartnerId partnerId, UUID id, String name, String prefix, List<String> roles, Instant createdAt,
                      Instant lastUsedAt, Instant expiresAt, Instant revokedAt, UUID replacedBy) {
    }

    /** A presented key as stored, with its partner's status: everything deciding about the request needs. */
    public record Presented(Row key, PartnerStatus partnerStatus) {
    }

    private final AgroalDataSource dataSource;

    public PartnerKeys(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stored key {@code presented} is, if it is one (a text without a key's form is not looked up). */
    public Optional<Presented> find(String presented) {
        Optional<PartnerId> partner = PartnerKeyTokens.partnerOf(presented);
        if (partner.isEmpty()) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(PRESENTED)) {
            statement.setString(1, partner.get().value());
            statement.setString(2, Sha256.hex(presented));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new Presented(row(rows), PartnerStatus.valueOf(rows.getString("partner_status"))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailed("The API key's check failed", e);
        }
    }

    /**
     * Records that {@code key} was used at {@code now}, unless that was done less than a minute ago. A
     * failure is logged and does not fail the request the key was presented with.
     */
    public void recordUse(Row key, Instant now) {
        Instant recent = now.minus(USE_RECORDED_EVERY);
        if (key.lastUsedAt() != null && key.lastUsedAt().isAfter(recent)) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(USED)) {
            statement.setObject(1, now.atOffset(ZoneOffset.UTC));
            statement.setString(2, key.partnerId().value());
            statement.setObject(3, key.id());
            statement.setObject(4, recent.atOffset(ZoneOffset.UTC));
            statement.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("Could not record the use of API key %s of partner %s (SQL state %s)", key.id(), key.partnerId(), e.getSQLState());
        }
    }

    /** The partner's keys, oldest first, whatever their state. */
    public List<Row> of(PartnerId partner) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(OF_PARTNER)) {
            statement.setString(1, partner.value());
            List<Row> keys = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(row(rows));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new StatementFailed("The partner's API keys' read failed", e);
        }
    }

    public Optional<Row> find(PartnerId partner, UUID id) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(ONE)) {
            statement.setString(1, partner.value());
            statement.setObject(2, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(row(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailed("The API key's read failed", e);
        }
    }

    private static Row row(ResultSet rows) throws SQLException {
        return new Row(new PartnerId(rows.getString("partner_id")), rows.getObject("id", UUID.class), rows.getString("name"),
                rows.getString("prefix"), Arrays.asList(rows.getString("roles").split(",")), Partners.instant(rows, "created_at"),
                Partners.instant(rows, "last_used_at"), Partners.instant(rows, "expires_at"), Partners.instant(rows, "revoked_at"),
                rows.getObject("replaced_by", UUID.class));
    }
}
