package dev.stripeconnector.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Tells a database that cannot be reached (refused, gone away, shut down, no pooled connection in
 * time) from every other failure, by the JDBC causes a failure carries. Such a failure changed
 * nothing and is worth retrying later: callers get a 503 with {@code Retry-After}, never a 500.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * A transaction PostgreSQL refused because of another one at the same moment (a serialization
     * failure or a deadlock, SQLSTATE 40001 / 40P01), even at commit (where the transaction manager
     * carries the database's refusal as a suppressed exception): nothing was changed, and retrying is safe.
     */
    public static boolean isConflict(Throwable failure) {
        return isConflict(failure, 0);
    }

    private static boolean isConflict(Throwable failure, int depth) {
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isConflict(suppressed, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static boolean isUnavailable(Throwable failure) {
        return Causes.any(failure, DatabaseFailures::unreachable);
    }

    private static boolean unreachable(Throwable t) {
        if (t instanceof SQLTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            // 08: connection exceptions; 57P: the server is shutting down or starting up.
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
            String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("acquisition timeout") || message.contains("connection is closed")
                    || message.contains("this connection has been closed")) {
                return true;
            }
        }
        return t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException");
    }
}
