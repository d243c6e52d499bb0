package dev.stripeconnector.events;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which of Stripe's event types a subscription forwards: patterns of dot-separated segments, each a
 * literal segment of a Stripe type ({@code charge}, {@code succeeded}) or {@code *}. A {@code *} stands
 * for exactly one segment, and as the last segment for one or more ({@code charge.*} is
 * {@code charge.succeeded} and {@code charge.dispute.created}; {@code *.updated} is
 * {@code account.updated} but not {@code customer.subscription.updated}); {@code *} alone is every type.
 * No patterns: no Stripe event is forwarded.
 */
public final class StripeEventTypes {

    /** Every Stripe event type. */
    public static final String ALL = "*";
    public static final int MAX_PATTERNS = 100;
    public static final int MAX_PATTERN = 128;
    /** The console's field: every pattern allowed, each with its separator. */
    public static final int MAX_FIELD = MAX_PATTERNS * (MAX_PATTERN + 2);
    public static final String MESSAGE = "must list Stripe event types such as \"charge.succeeded\", \"account.updated\" or \"charge.*\""
            + " (lower-case segments separated by dots, a segment may be *), or be [\"*\"] for every type";
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9_]+|\\*");

    private StripeEventTypes() {
    }

    /** The patterns as stored (comma-separated), or null for none; {@code problems} gets why a list is refused. */
    public static String stored(List<String> patterns, List<String> problems) {
        if (patterns == null || patterns.isEmpty()) {
            return null;
        }
        if (patterns.size() > MAX_PATTERNS) {
            problems.add("must list at most " + MAX_PATTERNS + " patterns");
            return null;
        }
        LinkedHashSet<String> kept = new LinkedHashSet<>();
        for (String pattern : patterns) {
            if (!valid(pattern)) {
                problems.add(MESSAGE);
                return null;
            }
            kept.add(pattern);
        }
        if (kept.contains(ALL) && kept.size() > 1) {
            problems.add("\"*\" already means every Stripe event type: send it alone");
            return null;
        }
        return String.join(",", kept);
    }

    static boolean valid(String pattern) {
        if (pattern == null || pattern.isEmpty() || pattern.length() > MAX_PATTERN) {
            return false;
        }
        for (String segment : pattern.split("\\.", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The stored patterns as a list (empty for none). */
    public static List<String> list(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split(","));
    }

    /** Whether one of the stored patterns matches the Stripe event type {@code type}. */
    public static boolean matches(String stored, String type) {
        if (type == null) {
            return false;
        }
        for (String pattern : list(stored)) {
            if (matchesOne(pattern, type)) {
                return true;
            }
        }
        return false;
    }

    static boolean matchesOne(String pattern, String type) {
        if (pattern.equals(ALL)) {
            return true;
        }
        String[] wanted = pattern.split("\\.", -1);
        String[] segments = type.split("\\.", -1);
        for (int i = 0; i < wanted.length; i++) {
            boolean last = i == wanted.length - 1;
            if (i >= segments.length) {
                return false;
            }
            if (wanted[i].equals(ALL)) {
                if (last) {
                    return true;
                }
                continue;
            }
            if (!wanted[i].equals(segments[i])) {
                return false;
            }
        }
        return wanted.length == segments.length;
    }

    /** The ids among {@code subscriptions} (id, event types, Stripe patterns) that forward {@code type}. */
    static List<java.util.UUID> forwarding(List<Object[]> subscriptions, String type) {
        List<java.util.UUID> ids = new ArrayList<>();
        for (Object[] row : subscriptions) {
            if (receivesStripeEvents((String) row[1]) && matches((String) row[2], type)) {
                ids.add((java.util.UUID) row[0]);
            }
        }
        return ids;
    }

    /** Whether a subscription's event types take {@code stripe.event} (listed, or every type). */
    static boolean receivesStripeEvents(String eventTypes) {
        return eventTypes.equals(EventType.ALL) || List.of(eventTypes.split(",")).contains(EventType.STRIPE_EVENT.json());
    }
}
