package dev.stripeconnector.common;

import java.sql.SQLException;

/**
 * A statement the service runs itself (plain JDBC, outside Hibernate) failed. Answered like any
 * database failure: 503 with Retry-After when the database is unavailable (by its cause), else a bug
 * (500). Its message says which step failed and what that means for the request.
 */
public final class StatementFailed extends RuntimeException {

    public StatementFailed(String what, SQLException cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
