package dev.stripeconnector.security;

import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.partner.PartnerId;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in guesses per user name on one partner's domain (the partner whose domain the form was posted
 * to: on the service's own domain, partner default's, whose users and the operators share names), in PostgreSQL ({@code sign_in_attempt}) so that every replica
 * counts the same. A guess is reserved before its password is checked, in one statement that
 * either takes one of the window's {@code max-guesses} or takes nothing: of any number of
 * simultaneous attempts at one name, on any number of replicas, at most that many are checked in
 * a window and the rest are refused unchecked. A failed guess keeps its reservation and, once the
 * window's guesses are taken, locks the name: for {@code lockout} from that failure, or to the
 * window's end if that is later. A success clears the count. Every submitted name counts, whether or not a user has it, so the answers never tell
 * which names exist. Times are the database's ({@code now()} of each autocommitted statement), so
 * replicas whose clocks disagree still agree on windows and locks.
 */
@ApplicationScoped
public class SignInAttempts {

    /**
     * The window is over, and the count starts again, once it has lasted {@code window} and no lock
     * outlasts it. ({@code failures} is the column's name from before guesses were reserved: it counts
     * the guesses taken, the ones being checked included.)
     */
    private static final String WINDOW_OVER =
            "(a.window_started_at <= (select window_from from rule) and (a.locked_until is null or a.locked_until <= now()))";
    /**
     * Takes a guess or takes nothing: of simultaneous inserts and updates of one row, PostgreSQL applies
     * one at a time and re-checks the condition against the row as the one before left it.
     */
    private static final String RESERVE = """
            with rule as (select now() - ? * interval '1 millisecond' as window_from, ?::integer as max_guesses)
            insert into sign_in_attempt as a (partner_id, subject, failures, window_started_at) values (?, ?, 1, now())
            on conflict (partner_id, subject) do update
               set failures = case when %1$s then 1 else a.failures + 1 end,
                   window_started_at = case when %1$s then now() else a.window_started_at end,
                   locked_until = case when %1$s then null else a.locked_until end
             where %1$s
                or (a.failures < (select max_guesses from rule) and (a.locked_until is null or a.locked_until <= now()))
            returning failures""".formatted(WINDOW_OVER);
    /** A failed guess locks the name once the window's guesses are all taken (not when a fresh window has begun since). */
    private static final String LOCK = """
            update sign_in_attempt set locked_until = now() + ? * interval '1 millisecond'
             where partner_id = ? and subject = ? and failures >= ?""";
    private static final String CLEAR = "delete from sign_in_attempt where partner_id = ? and subject = ?";
    /**
     * How long until the name may be guessed again, in milliseconds (positive only while it is locked):
     * its window's guesses are all taken, and {@code RESERVE} gives none until the window is over and
     * no lock outlasts it.
     */
    private static final String LOCKED_FOR = """
            select extract(epoch from greatest(window_started_at + ? * interval '1 millisecond', coalesce(locked_until, window_started_at))
                                      - now()) * 1000
              from sign_in_attempt where partner_id = ? and subject = ? and failures >= ?""";

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

    /** Takes one of the name's guesses on {@code partner}'s domain for this window; false when none is left (the name is locked). */
    boolean reserve(PartnerId partner, String subject) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement reserve = connection.prepareStatement(RESERVE)) {
            reserve.setLong(1, config.window().toMillis());
            reserve.setInt(2, config.maxGuesses());
            reserve.setString(3, partner.value());
            reserve.setString(4, subject);
            try (ResultSet taken = reserve.executeQuery()) {
                return taken.next();
            }
        } catch (SQLException e) {
            throw new StatementFailed("Could not count a sign-in guess", e);
        }
    }

    /** The reserved guess was wrong: it stays counted, and when it was the window's last the name is locked. */
    void failed(PartnerId partner, String subject) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setLong(1, config.lockout().toMillis());
            lock.setString(2, partner.value());
            lock.setString(3, subject);
            lock.setInt(4, config.maxGuesses());
            lock.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailed("Could not record a failed sign-in", e);
        }
    }

    /**
     * How much longer the name stays locked on {@code partner}'s domain; empty when it is not locked. Every
     * submitted name is counted, existing or not, so the answer says nothing of whether a user has it.
     */
    public Optional<Duration> lockedFor(PartnerId partner, String username) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement locked = connection.prepareStatement(LOCKED_FOR)) {
            locked.setLong(1, config.window().toMillis());
            locked.setString(2, partner.value());
            locked.setString(3, subjectOf(username));
            locked.setInt(4, config.maxGuesses());
            try (ResultSet rest = locked.executeQuery()) {
                long millis = rest.next() ? (long) Math.ceil(rest.getDouble(1)) : 0;
                return millis > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailed("Could not read a sign-in lock", e);
        }
    }

    /** The reserved guess was right: the name's count starts again. */
    void succeeded(PartnerId partner, String subject) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement clear = connection.prepareStatement(CLEAR)) {
            clear.setString(1, partner.value());
            clear.setString(2, subject);
            clear.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailed("Could not clear a sign-in count", e);
        }
    }
}
