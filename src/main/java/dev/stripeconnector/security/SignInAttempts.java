package dev.stripeconnector.security;

import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.common.StatementFailed;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Sign-in guesses per user name, in PostgreSQL ({@code sign_in_attempt}) so that every replica
 * counts the same. A guess is reserved before its password is checked, in one statement that
 * either takes one of the window's {@code max-guesses} or takes nothing: of any number of
 * simultaneous attempts at one name, on any number of replicas, at most that many are checked in
 * a window and the rest are refused unchecked. A failed guess keeps its reservation and, once the
 * window's guesses are taken, locks the name for {@code lockout}; a success clears the count.
 * Every submitted name counts, whether or not a user has it, so the answers never tell which names
 * exist. Times are the database's ({@code now()} of each autocommitted statement), so replicas
 * whose clocks disagree still agree on windows and locks.
 */
@ApplicationScoped
public class SignInAttempts {

    /**
     * {@code resets_at} is when the count starts again: the window's end, pushed to the lock's end when
     * the window's last guess fails. Of simultaneous inserts and updates of one row, PostgreSQL applies
     * one at a time and re-checks the condition against the row as the one before left it.
     */
    private static final String RESERVE = """
            insert into sign_in_attempt as a (subject, guesses, resets_at) values (?, 1, now() + ? * interval '1 millisecond')
            on conflict (subject) do update
               set guesses = case when a.resets_at <= now() then 1 else a.guesses + 1 end,
                   resets_at = case when a.resets_at <= now() then excluded.resets_at else a.resets_at end
             where a.resets_at <= now() or a.guesses < ?
            returning guesses""";
    private static final String LOCK = """
            update sign_in_attempt set resets_at = greatest(resets_at, now() + ? * interval '1 millisecond')
             where subject = ? and guesses >= ? and resets_at > now()""";
    private static final String CLEAR = "delete from sign_in_attempt where subject = ?";

    private final AgroalDataSource dataSource;
    private final SignInConfig config;

    public SignInAttempts(AgroalDataSource dataSource, SignInConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    void checkSettings(@Observes StartupEvent start) {
        if (config.maxGuesses() < 1 || config.window().isNegative() || config.window().isZero() || config.lockout().isNegative()
                || config.lockout().isZero()) {
            throw new StartupRefusal("CONNECTOR_CONSOLE_SIGN_IN_MAX_GUESSES must be at least 1, and CONNECTOR_CONSOLE_SIGN_IN_WINDOW and"
                    + " CONNECTOR_CONSOLE_SIGN_IN_LOCKOUT longer than zero");
        }
    }

    /** The counter a submitted name shares: lower-cased, so {@code Alice} and {@code alice} are guessed together. */
    static String subjectOf(String username) {
        String lower = username.toLowerCase(Locale.ROOT);
        if (lower.length() <= ConsoleUser.MAX_USERNAME) {
            return lower;
        }
        // Lower-casing lengthened it (a dotted capital I, say): keep the column's width, and whole characters.
        int end = Character.isHighSurrogate(lower.charAt(ConsoleUser.MAX_USERNAME - 1)) ? ConsoleUser.MAX_USERNAME - 1 : ConsoleUser.MAX_USERNAME;
        return lower.substring(0, end);
    }

    /** Takes one of the name's guesses for this window; false when none is left (the name is locked). */
    boolean reserve(String subject) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement reserve = connection.prepareStatement(RESERVE)) {
            reserve.setString(1, subject);
            reserve.setLong(2, config.window().toMillis());
            reserve.setInt(3, config.maxGuesses());
            try (ResultSet taken = reserve.executeQuery()) {
                return taken.next();
            }
        } catch (SQLException e) {
            throw new StatementFailed("Could not count a sign-in guess", e);
        }
    }

    /** The reserved guess was wrong: it stays counted, and when it was the window's last the name is locked. */
    void failed(String subject) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setLong(1, config.lockout().toMillis());
            lock.setString(2, subject);
            lock.setInt(3, config.maxGuesses());
            lock.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailed("Could not record a failed sign-in", e);
        }
    }

    /** The reserved guess was right: the name's count starts again. */
    void succeeded(String subject) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement clear = connection.prepareStatement(CLEAR)) {
            clear.setString(1, subject);
            clear.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailed("Could not clear a sign-in count", e);
        }
    }
}
