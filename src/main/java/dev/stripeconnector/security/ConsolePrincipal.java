package dev.stripeconnector.security;

import dev.stripeconnector.partner.PartnerId;
import io.quarkus.security.identity.SecurityIdentity;
import java.security.Principal;
import java.util.Optional;

/**
 * A console session's principal: whose user it is (a partner's, or an operator's), the user, and the
 * epoch of their sessions it was opened in ({@link ConsoleUser#sessionEpoch}). Quarkus' form
 * authentication keeps only the principal's name (and an expiry) in the session cookie, encrypted
 * with the session key, so everything travels in the name and nobody without that key can write one:
 * {@code alice#3} (partner default's, as before partners existed), {@code acme/alice#3} (partner
 * acme's), {@code *}{@code /alice#3} (an operator). The session provider refuses a name
 * whose epoch is no longer the user's, and a name whose partner is not the one of the domain the
 * request arrived on. A user name contains neither {@value #SEPARATOR} nor {@value #OWNER}; a partner
 * id never contains {@value #OWNER} or {@value #OPERATOR}.
 *
 * @param partner the partner the user belongs to; null for an operator
 */
public record ConsolePrincipal(PartnerId partner, String username, long epoch) implements Principal {

    static final char SEPARATOR = '#';
    static final char OWNER = '/';
    static final String OPERATOR = "*";

    /** Partner default's user, as sessions named them before partners. */
    public ConsolePrincipal(String username, long epoch) {
        this(PartnerId.DEFAULT, username, epoch);
    }

    public boolean operator() {
        return partner == null;
    }

    @Override
    public String getName() {
        return user() + SEPARATOR + epoch;
    }

    /**
     * The user without the epoch, qualified by its owner: unique across the service, so that two partners'
     * users of one name never share anything keyed by it (their form tokens, {@code ConsoleCsrf}).
     */
    public String user() {
        if (partner == null) {
            return OPERATOR + OWNER + username;
        }
        return partner.isDefault() ? username : partner.value() + OWNER + username;
    }

    /**
     * The principal a session cookie names. A cookie from before epochs names the user alone: it counts as
     * epoch 0, which the user's first password change or disable moves past, so an upgrade signs nobody out.
     */
    static Optional<ConsolePrincipal> parse(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        int owner = name.indexOf(OWNER);
        PartnerId partner = PartnerId.DEFAULT;
        String rest = name;
        if (owner >= 0) {
            String ownerName = name.substring(0, owner);
            if (OPERATOR.equals(ownerName)) {
                partner = null;
            } else if (PartnerId.valid(ownerName) && !PartnerId.DEFAULT.value().equals(ownerName)) {
                partner = new PartnerId(ownerName);
            } else {
                return Optional.empty();
            }
            rest = name.substring(owner + 1);
        }
        int separator = rest.lastIndexOf(SEPARATOR);
        if (separator < 0) {
            return rest.isEmpty() || rest.indexOf(OWNER) >= 0 ? Optional.empty() : Optional.of(new ConsolePrincipal(partner, rest, 0));
        }
        if (separator == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConsolePrincipal(partner, rest.substring(0, separator), Long.parseLong(rest.substring(separator + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The signed-in console user, qualified by its owner ({@link #user()}) and without the session's epoch:
     * what form tokens are made of. Pages show only the name ({@link #shown}).
     */
    public static String username(SecurityIdentity identity) {
        return identity.getPrincipal() instanceof ConsolePrincipal principal ? principal.user() : identity.getPrincipal().getName();
    }

    /** The name a page shows for a qualified user ({@link #user()}): without its owner. */
    public static String shown(String user) {
        return user == null ? null : user.substring(user.lastIndexOf(OWNER) + 1);
    }
}
