package dev.stripeconnector.console;

import dev.stripeconnector.crypto.FlashCookies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Comparator;
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
    /** What the problem adds when typed values were too long to carry back to the form. */
    static final String TOO_LONG = "What you typed was too long to show again: re-enter the fields left empty.";
    /** The longest a message is carried when the messages alone would not fit in the cookie. */
    private static final int MESSAGE_LENGTH = 200;

    private final FlashCookies flashes;
    private final ConsolePages pages;

    public ConsoleForms(FlashCookies flashes, ConsolePages pages) {
        this.flashes = flashes;
        this.pages = pages;
    }

    /**
     * A refused form: 303 back to its page at {@code path}, carrying {@code errors} by field, the {@code problem} and the
     * {@code kept} values. The cookie has to stay within what a browser keeps ({@link FlashCookies#MAX_VALUE}), or the
     * page would show no problem at all: typed values are dropped, longest first, until it fits (the problem then says
     * to re-enter them), and should the messages alone not fit, each is shortened.
     */
    Response again(String cookie, String path, boolean secure, Map<String, String> errors, String problem, Map<String, ?> kept) {
        Map<String, String> values = new HashMap<>();
        kept.forEach((name, value) -> values.put(name, String.valueOf(value)));
        NewCookie sealed = seal(cookie, path, secure, errors, problem, values);
        if (!FlashCookies.fits(sealed)) {
            String shorter = (problem == null ? "" : problem + " ") + TOO_LONG;
            while (!values.isEmpty() && !FlashCookies.fits(sealed)) {
                values.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().length())).map(Map.Entry::getKey).ifPresent(values::remove);
                sealed = seal(cookie, path, secure, errors, shorter, values);
            }
            if (!FlashCookies.fits(sealed)) {
                Map<String, String> cut = new HashMap<>();
                errors.forEach((field, message) -> cut.put(field, shortened(message)));
                sealed = seal(cookie, path, secure, cut, shortened(shorter), Map.of());
            }
        }
        return pages.seeOther(path, sealed);
    }

    private NewCookie seal(String cookie, String path, boolean secure, Map<String, String> errors, String problem, Map<String, String> kept) {
        Map<String, String> flash = new HashMap<>();
        kept.forEach((name, value) -> flash.put(KEPT + name, value));
        errors.forEach((field, message) -> flash.put(ERROR + field, message));
        flash.put(PROBLEM, problem);
        return flashes.seal(cookie, path, secure, flash, LIFETIME);
    }

    /** A message cut to {@link #MESSAGE_LENGTH}: a form has a few fields, so all of them fit in one cookie. */
    private static String shortened(String message) {
        return message == null || message.length() <= MESSAGE_LENGTH ? message : message.substring(0, MESSAGE_LENGTH - 1) + "…";
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
