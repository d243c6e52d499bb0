package dev.stripeconnector.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.security.Principal;
import java.util.Optional;

/**
 * A console session's principal: the user and the epoch of their sessions it was opened in
 * ({@link ConsoleUser#sessionEpoch}). Quarkus' form authentication keeps only the principal's name
 * (and an expiry) in the encrypted session cookie, so the epoch travels in the name,
 * {@code alice#3}; the session provider refuses a name whose epoch is no longer the user's. A
 * user name never contains {@value #SEPARATOR}.
 */
public record ConsolePrincipal(String username, long epoch) implements Principal {

    static final char SEPARATOR = '#';

    @Override
    public String getName() {
        return username + SEPARATOR + epoch;
    }

    /**
     * The principal a session cookie names. A cookie from before epochs names the user alone: it counts as
     * epoch 0, which the user's first password change or disable moves past, so an upgrade signs nobody out.
     */
    static Optional<ConsolePrincipal> parse(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        int separator = name.lastIndexOf(SEPARATOR);
        if (separator < 0) {
            return Optional.of(new ConsolePrincipal(name, 0));
        }
        if (separator == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConsolePrincipal(name.substring(0, separator), Long.parseLong(name.substring(separator + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The signed-in console user's name, without the session's epoch: what pages show and form tokens are made of. */
    public static String username(SecurityIdentity identity) {
        return identity.getPrincipal() instanceof ConsolePrincipal principal ? principal.username() : identity.getPrincipal().getName();
    }
}
