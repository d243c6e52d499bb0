package dev.stripeconnector.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of its own on the tests' PostgreSQL, created empty and dropped on close, for packaged
 * applications that must be alone with their data. The application a {@code @QuarkusIntegrationTest}
 * started on the shared database keeps running while later test classes run, and its delivery worker is
 * a replica like any other: on the shared database it would claim, send and record deliveries a test
 * counts.
 */
public final class OwnDatabase implements AutoCloseable {

    private final String name;

    private OwnDatabase(String name) {
        this.name = name;
    }

    /** A new, empty database named {@code prefix} and a unique suffix. */
    public static OwnDatabase create(String prefix) {
        new PostgresResource().start();
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = PostgresResource.connection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new OwnDatabase(name);
    }

    /** The URL an application (QUARKUS_DATASOURCE_JDBC_URL) or a test connects to it with. */
    public String jdbcUrl() {
        return PostgresResource.jdbcUrl().replaceFirst("/postgres$", "/" + name);
    }

    public Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
    }

    /** One value straight from this database (as {@link Api#queryString(String, Object...)} reads the shared one). */
    public String queryString(String sql, Object... params) {
        try (Connection c = connection()) {
            return Api.queryString(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole table as text. */
    public String dumpTable(String table) {
        try (Connection c = connection()) {
            return Api.dumpTable(c, table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops the database, closing what is still connected to it (an application that was killed leaves sessions behind). */
    @Override
    public void close() {
        try (Connection c = PostgresResource.connection(); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
