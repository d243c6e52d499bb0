package dev.stripeconnector.support;

import static io.restassured.RestAssured.given;

import dev.stripeconnector.partner.PartnerData;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small helpers shared by the API tests. */
public final class Api {

    private Api() {
    }

    /** A request authenticated with the admin API key. */
    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + TestKeys.API_KEY);
    }

    public static RequestSpecification json(Object body) {
        return api().contentType(ContentType.JSON).body(body);
    }

    /** Empties the installations, the console setup and the events with their subscriptions, so each test starts from a fresh platform. */
    /** Deletes every partner but default, with all their data (partner/PartnerData's tables, in its order). */
    public static void deletePartnersButDefault() {
        try (Connection c = PostgresResource.connection(); Statement s = c.createStatement()) {
            for (PartnerData.Step step : PartnerData.TABLES) {
                s.execute("delete from " + step.table() + " where partner_id <> 'default'");
            }
            s.execute("delete from partner where id <> 'default'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void resetDatabase() {
        try (Connection c = PostgresResource.connection(); Statement s = c.createStatement()) {
            s.execute("delete from event_subscription");
            s.execute("delete from connector_event");
            s.execute("delete from event_stream");
            s.execute("delete from account_connector");
            s.execute("delete from platform_webhook");
            s.execute("delete from client_platform");
            s.execute("update connector_settings set client_id = null, client_secret = null, default_scope = null, account_type = null, support_contact = null, updated_at = null");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until every committed event has its place in the feed: the sequencer numbers events a moment
     * after their commit, so a test that reads the feed right after a change waits for it, as a consumer polls.
     */
    public static void awaitFeedNumbered() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!"0".equals(queryString("select count(*) from connector_event where feed_position is null"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("events still without a feed position after 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** One value straight from the database, to check what is really stored. */
    public static String queryString(String sql, Object... params) {
        try (Connection c = PostgresResource.connection()) {
            return queryString(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first row's first value, through {@code c} (the shared database or one of a test's own). */
    static String queryString(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public static int update(String sql, Object... params) {
        try (Connection c = PostgresResource.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole table as text, to prove a secret appears nowhere in it. */
    public static String dumpTable(String table) {
        try (Connection c = PostgresResource.connection()) {
            return dumpTable(c, table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole table as text, through {@code c}. */
    static String dumpTable(Connection c, String table) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    out.append(rs.getString(i)).append('|');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
