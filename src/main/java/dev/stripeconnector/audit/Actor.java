package dev.stripeconnector.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who made a change: a console user (by name), an API key (by its name, never the key), either of them a partner's or
 * the service operator's (who acts across partners), or the service itself on behalf of something that is no caller
 * (Stripe's own deauthorization, a re-encryption run).
 */
public record Actor(Kind kind, String name) {

    /**
     * What kind of actor. Stored as {@code actor_kind} (user, key, system, the values a pod of the version before V27
     * reads) and {@code actor_operator}, so a rolling update never shows an older pod a kind it does not know.
     */
    public enum Kind {
        USER("user", false, "console user"),
        OPERATOR_USER("user", true, "operator's console user"),
        KEY("key", false, "API key"),
        OPERATOR_KEY("key", true, "operator's API key"),
        SYSTEM("system", false, "the service");

        private final String stored;
        private final boolean operator;
        private final String label;

        Kind(String stored, boolean operator, String label) {
            this.stored = stored;
            this.operator = operator;
            this.label = label;
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** How the console names it. */
        public String label() {
            return label;
        }

        String stored() {
            return stored;
        }

        boolean operator() {
            return operator;
        }

        static Kind of(String stored, boolean operator) {
            for (Kind kind : values()) {
                if (kind.stored.equals(stored) && kind.operator == operator) {
                    return kind;
                }
            }
            throw new IllegalStateException("No actor kind is stored as " + stored + (operator ? " of an operator" : ""));
        }
    }

    /** Stripe, telling the platform that an account disconnected it ({@code account.application.deauthorized}). */
    public static final Actor STRIPE = system("stripe");
    /** A re-encryption run rewriting stored secrets under the primary key. */
    public static final Actor RE_ENCRYPTION = system("re-encryption");
    /** A change with no caller behind it that names itself otherwise (start-up from configuration). */
    public static final Actor SERVICE = system("service");

    public static Actor user(String name) {
        return new Actor(Kind.USER, name);
    }

    /** An operator's console user; named {@code operator {username}}, as before the kind told it, so the actor filter finds both. */
    public static Actor operatorUser(String username) {
        return new Actor(Kind.OPERATOR_USER, "operator " + username);
    }

    public static Actor key(String name) {
        return new Actor(Kind.KEY, name);
    }

    public static Actor operatorKey(String name) {
        return new Actor(Kind.OPERATOR_KEY, name);
    }

    public static Actor system(String name) {
        return new Actor(Kind.SYSTEM, name);
    }
}
