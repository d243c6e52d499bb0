package dev.stripeconnector.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who made a change: a console user (by name), an API key (by its name, never the key), or the service
 * itself on behalf of something that is no caller (Stripe's own deauthorization, a re-encryption run).
 */
public record Actor(Kind kind, String name) {

    public enum Kind {
        USER, KEY, SYSTEM;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String stored) {
            return valueOf(stored.toUpperCase(Locale.ROOT));
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

    public static Actor key(String name) {
        return new Actor(Kind.KEY, name);
    }

    public static Actor system(String name) {
        return new Actor(Kind.SYSTEM, name);
    }
}
