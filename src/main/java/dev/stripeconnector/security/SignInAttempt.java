package dev.stripeconnector.security;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * Failed sign-ins of one user name, in PostgreSQL so that every replica counts the same: more
 * than {@value #MAX_FAILURES} within {@link #WINDOW} lock the name for {@link #LOCKOUT}, whatever
 * password comes next. A success clears the count.
 */
@Entity
@Table(name = "sign_in_attempt")
public class SignInAttempt extends PanacheEntityBase {

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCKOUT = Duration.ofMinutes(15);

    @Id
    public String subject;

    @Column(nullable = false)
    public int failures;

    @Column(name = "window_started_at", nullable = false)
    public Instant windowStartedAt;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    static String subjectOf(String username) {
        String lower = username.toLowerCase(java.util.Locale.ROOT);
        return lower.length() > ConsoleUser.MAX_USERNAME ? lower.substring(0, ConsoleUser.MAX_USERNAME) : lower;
    }

    static boolean locked(String username, Instant now) {
        SignInAttempt attempt = findById(subjectOf(username));
        return attempt != null && attempt.lockedUntil != null && attempt.lockedUntil.isAfter(now);
    }

    static void failed(String username, Instant now) {
        String subject = subjectOf(username);
        getEntityManager().createNativeQuery("""
                insert into sign_in_attempt (subject, failures, window_started_at) values (:subject, 0, :now)
                on conflict (subject) do nothing""").setParameter("subject", subject).setParameter("now", now).executeUpdate();
        SignInAttempt attempt = findById(subject, LockModeType.PESSIMISTIC_WRITE);
        if (attempt.windowStartedAt.plus(WINDOW).isBefore(now)) {
            attempt.failures = 0;
            attempt.windowStartedAt = now;
        }
        attempt.failures++;
        if (attempt.failures >= MAX_FAILURES) {
            attempt.lockedUntil = now.plus(LOCKOUT);
        }
    }

    static void succeeded(String username) {
        deleteById(subjectOf(username));
    }
}
