package dev.stripeconnector.audit;

import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.Cursors;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.partner.PartnerId;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Reads the audit trail: one scope's records newest first, a page at a time, filtered by installation, actor and time. */
@ApplicationScoped
public class AuditRecords {

    /**
     * Whether the actor is the service operator's. A pod of the previous version writes operators' rows without the
     * column during a rolling update (V27), so the marks V27 gave the rows before it are also read from the row itself:
     * an operator's console user is named "operator {username}" (a user name has no space), and only operators' keys
     * create, change or remove partners and issue, rotate or revoke their keys.
     */
    private static final String OPERATOR = "(actor_operator or (actor_kind = 'user' and actor_name like 'operator %')"
            + " or (actor_kind = 'key' and action in ('partner.create', 'partner.update', 'partner.remove', 'api-key.issue',"
            + " 'api-key.rotate', 'api-key.revoke')))";

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    static final int MAX_ACTOR = 200;

    public record Page(@Schema(required = true) List<AuditEntry> items,
                       @Schema(nullable = true, description = "the cursor of the page after this one (older records); null on the last page")
                       String nextCursor) {
    }

    /** What a page is asked for, as the caller wrote it; checked by {@link #page}. */
    public record Query(String accountId, String actor, String since, String until, String limit, String cursor) {
    }

    private final AgroalDataSource dataSource;

    public AuditRecords(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A page of {@code partner}'s records (null: the operators' own), newest first; a bad filter is a field error. */
    public Page page(PartnerId partner, Query query) {
        Fields fields = new Fields().text("actor", query.actor(), MAX_ACTOR);
        if (query.accountId() != null && !query.accountId().isEmpty() && !AccountIds.valid(query.accountId())) {
            fields.add("accountId", AccountIds.MESSAGE);
        }
        Instant since = instant(fields, "since", query.since());
        Instant until = instant(fields, "until", query.until());
        if (since != null && until != null && !since.isBefore(until)) {
            fields.add("until", "must be after since");
        }
        int size = fields.limit("limit", query.limit(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        String key = Cursors.keyOf(fields, "cursor", query.cursor(), AuditRecords::validKey);
        fields.orThrow();

        StringBuilder sql = new StringBuilder("select id, occurred_at, actor_kind, " + OPERATOR + " as actor_operator, actor_name,"
                + " action, account_id, subject, fields, detail, client_address from audit_record where ");
        List<Object> parameters = new ArrayList<>();
        if (partner == null) {
            sql.append("partner_id is null");
        } else {
            sql.append("partner_id = ?");
            parameters.add(partner.value());
        }
        if (query.accountId() != null && !query.accountId().isEmpty()) {
            sql.append(" and account_id = ?");
            parameters.add(query.accountId());
        }
        if (query.actor() != null && !query.actor().isEmpty()) {
            sql.append(" and actor_name = ?");
            parameters.add(query.actor());
        }
        if (since != null) {
            sql.append(" and occurred_at >= ?");
            parameters.add(since.atOffset(ZoneOffset.UTC));
        }
        if (until != null) {
            sql.append(" and occurred_at < ?");
            parameters.add(until.atOffset(ZoneOffset.UTC));
        }
        if (key != null) {
            int bar = key.indexOf('|');
            sql.append(" and (occurred_at, id) < (?, ?)");
            parameters.add(Instant.parse(key.substring(0, bar)).atOffset(ZoneOffset.UTC));
            parameters.add(UUID.fromString(key.substring(bar + 1)));
        }
        // One row more than asked tells whether another page follows without reading it.
        sql.append(" order by occurred_at desc, id desc limit ?");
        parameters.add(size + 1);

        List<AuditEntry> rows = read(sql.toString(), parameters);
        List<AuditEntry> items = rows.size() > size ? rows.subList(0, size) : rows;
        String next = rows.size() > size ? Cursors.of(items.get(items.size() - 1).occurredAt() + "|" + items.get(items.size() - 1).id()) : null;
        return new Page(List.copyOf(items), next);
    }

    private List<AuditEntry> read(String sql, List<Object> parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String names = row.getString("fields");
                    entries.add(new AuditEntry(row.getObject("id", UUID.class), row.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                            Actor.Kind.of(row.getString("actor_kind"), row.getBoolean("actor_operator")), row.getString("actor_name"),
                            row.getString("action"), row.getString("account_id"), row.getString("subject"),
                            names.isEmpty() ? List.of() : Arrays.asList(names.split(",")), row.getString("detail"), row.getString("client_address")));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new StatementFailed("The audit trail could not be read", e);
        }
    }

    private static Instant instant(Fields fields, String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            fields.add(field, "must be an ISO-8601 date and time with its offset, e.g. 2026-12-07T15:00:00Z");
            return null;
        }
    }

    private static boolean validKey(String key) {
        int bar = key.indexOf('|');
        if (bar < 0) {
            return false;
        }
        try {
            Instant.parse(key.substring(0, bar));
            UUID.fromString(key.substring(bar + 1));
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }
}
