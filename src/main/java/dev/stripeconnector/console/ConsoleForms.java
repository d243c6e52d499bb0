package dev.stripeconnector.console;

import dev.stripeconnector.crypto.FlashCookies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How every console form answers (POST, then 303 to a GET): a refused form goes back to its page with its
 * problems and typed values (never a secret) sealed in a short-lived cookie of that page ({@link FlashCookies}),
 * so a reload or a Back shows them again and posts nothing; a form that succeeded goes on to its page with the
 * earlier problems cleared. Nothing of a problem is in a URL.
 */
@ApplicationScoped
public class ConsoleForms {

    /** How long a page shows what its form's answer carried: enough to read and correct it, not all day on a shared screen. */
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final String ERROR = "error.";
    private static final String KEPT = "kept.";
    private static final String PROBLEM = "problem";

    private final FlashCookies flashes;
    private final ConsolePages pages;

    public ConsoleForms(FlashCookies flashes, ConsolePages pages) {
        this.flashes = flashes;
        this.pages = pages;
    }

    /** A refused form: 303 back to its page at {@code path}, carrying {@code errors} by field, the {@code problem} and the {@code kept} values. */
    Response again(String cookie, String path, boolean secure, Map<String, String> errors, String problem, Map<String, ?> kept) {
        Map<String, String> flash = new HashMap<>();
        kept.forEach((name, value) -> flash.put(KEPT + name, String.valueOf(value)));
        errors.forEach((field, message) -> flash.put(ERROR + field, message));
        flash.put(PROBLEM, problem);
        return pages.seeOther(path, flashes.seal(cookie, path, secure, flash, LIFETIME));
    }

    /** A form that succeeded: 303 to {@code location}, the problems its page at {@code path} showed gone, setting {@code more}. */
    Response done(String cookie, String path, boolean secure, String location, NewCookie... more) {
        return pages.seeOther(location, Stream.concat(Stream.of(flashes.clear(cookie, path, secure)), Stream.of(more)).toArray(NewCookie[]::new));
    }

    /** What {@link #again} carried to the page: none of it when the cookie is absent, altered or old. */
    Refused refused(String cookie) {
        Map<String, String> errors = new HashMap<>();
        Map<String, Object> kept = new HashMap<>();
        Map<String, String> flash = flashes.open(cookie);
        flash.forEach((key, value) -> {
            if (key.startsWith(ERROR)) {
                errors.put(key.substring(ERROR.length()), value);
            } else if (key.startsWith(KEPT)) {
                kept.put(key.substring(KEPT.length()), value);
            }
        });
        return new Refused(errors, flash.get(PROBLEM), kept);
    }

    /** A refused form as its page shows it: the messages by field, the problem (null: none), the values typed. */
    record Refused(Map<String, String> errors, String problem, Map<String, Object> kept) {
    }
}
