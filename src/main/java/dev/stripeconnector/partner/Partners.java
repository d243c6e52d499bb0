package dev.stripeconnector.partner;

import dev.stripeconnector.common.StatementFailed;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of partners: each row as a record whose components are the table's columns, read by name.
 * Plain statements (autocommit; inside a caller's transaction, in it); writes go through {@link Partner}.
 */
@ApplicationScoped
public class Partners {

    private static final String FIND = """
            select id, name, status, service_domain, created_at, updated_at from partner where id = ?""";
    private static final String PAGE = """
            select id, name, status, service_domain, created_at, updated_at from partner
             where id > ? order by id limit ?""";
    private static final String PAGE_OF_STATUS = """
            select id, name, status, service_domain, created_at, updated_at from partner
             where id > ? and status = ? order by id limit ?""";
    private static final String DOMAIN_OWNER = "select id from partner where service_domain = ?";
    private static final String DOMAINS = "select id, service_domain from partner where service_domain is not null";

    /** A partner as stored. {@code serviceDomain} is null only for {@code default} (its domain is the configured one). */
    public record Row(PartnerId id, String name, PartnerStatus status, String serviceDomain, Instant createdAt, Instant updatedAt) {
    }

    private final AgroalDataSource dataSource;

    public Partners(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Row> find(PartnerId id) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setString(1, id.value());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(row(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailed("The partner's read failed", e);
        }
    }

    /** Up to {@code limit} partners after {@code afterId} (empty: from the first) in id order, of one status or all. */
    public List<Row> page(String afterId, PartnerStatus status, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(status == null ? PAGE : PAGE_OF_STATUS)) {
            int parameter = 1;
            statement.setString(parameter++, afterId == null ? "" : afterId);
            if (status != null) {
                statement.setString(parameter++, status.name());
            }
            statement.setInt(parameter, limit);
            List<Row> page = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    page.add(row(rows));
                }
            }
            return page;
        } catch (SQLException e) {
            throw new StatementFailed("The partners' read failed", e);
        }
    }

    /** The partner whose service domain {@code domain} is (lower case), if any. */
    public Optional<PartnerId> ownerOfDomain(String domain) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(DOMAIN_OWNER)) {
            statement.setString(1, domain);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new PartnerId(rows.getString("id"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailed("The service domains' read failed", e);
        }
    }

    /** Every partner's own service domain (partner default's is the configured one, so it is not here). */
    public Map<PartnerId, String> domains() {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(DOMAINS);
             ResultSet rows = statement.executeQuery()) {
            Map<PartnerId, String> domains = new HashMap<>();
            while (rows.next()) {
                domains.put(new PartnerId(rows.getString("id")), rows.getString("service_domain"));
            }
            return domains;
        } catch (SQLException e) {
            throw new StatementFailed("The service domains' read failed", e);
        }
    }

    private static Row row(ResultSet rows) throws SQLException {
        return new Row(new PartnerId(rows.getString("id")), rows.getString("name"), PartnerStatus.valueOf(rows.getString("status")),
                rows.getString("service_domain"), instant(rows, "created_at"), instant(rows, "updated_at"));
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
