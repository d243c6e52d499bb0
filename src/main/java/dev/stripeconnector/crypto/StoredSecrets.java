package dev.stripeconnector.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the service keeps encrypted values: every table and column holding a {@code Secret}
 * ({@code v1:keyId:…}). The re-encryption job, its progress report and the start-up check that a
 * removed key protects nothing all read this one list; a new secret column must be added here
 * ({@code StoredSecretsTest} compares it with the entities).
 */
public final class StoredSecrets {

    /**
     * A table's secret columns; {@code id}: a column or expression unique per row, by which rows are paged
     * and rewritten; {@code versioned}: the row has an optimistic-lock {@code version} to bump.
     */
    public record Table(String name, String id, List<String> columns, boolean versioned) {

        /** Each stored value's key id and how many values it protects, in this table. */
        public String countByKeySql() {
            String values = columns.stream().map(c -> "select " + c + " as v from " + name).collect(Collectors.joining(" union all "));
            return "select split_part(v, ':', 2) as key_id, count(*) from (" + values + ") stored where v is not null group by 1";
        }

        /**
         * Up to {@code ?} rows (after the id {@code ?}, with {@code afterId}) holding a value under one of
         * the given key patterns, locked, skipping the rows others hold.
         */
        public String claimSql(boolean afterId) {
            String under = columns.stream().map(c -> c + " like any (?)").collect(Collectors.joining(" or "));
            return "select " + id + ", " + String.join(", ", columns) + " from " + name + " where (" + under + ")"
                    + (afterId ? " and " + id + " > ?" : "") + " order by " + id + " limit ? for update skip locked";
        }

        public String rewriteSql() {
            String set = columns.stream().map(c -> c + " = ?").collect(Collectors.joining(", "));
            return "update " + name + " set " + set + (versioned ? ", version = version + 1" : "") + " where " + id + " = ?";
        }
    }

    public static final List<Table> TABLES = List.of(
            new Table("connector_settings", "id", List.of("client_secret", "webhook_signing_secret", "previous_webhook_signing_secret"), true),
            new Table("account_connector", "id", List.of("client_secret", "access_token", "refresh_token"), true),
            // Two partners may each bring the same client ID: a row is named by both (the key that orders and finds it).
            new Table("platform_webhook", "(partner_id || ' ' || client_id)", List.of("signing_secret", "previous_signing_secret"), false),
            new Table("event_subscription", "id", List.of("signing_secret", "previous_signing_secret"), true));

    private StoredSecrets() {
    }

    /** How many stored values each key id protects, over every table that exists yet (before migrations, none). */
    public static Map<String, Long> countByKey(Connection connection) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (Table table : existing(connection)) {
            try (PreparedStatement query = connection.prepareStatement(table.countByKeySql()); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.merge(rows.getString(1), rows.getLong(2), Long::sum);
                }
            }
        }
        return counts;
    }

    static List<Table> existing(Connection connection) throws SQLException {
        List<Table> present = new ArrayList<>();
        for (Table table : TABLES) {
            try (PreparedStatement query = connection.prepareStatement("select to_regclass(?) is not null")) {
                query.setString(1, table.name());
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        present.add(table);
                    }
                }
            }
        }
        return present;
    }
}
