package dev.stripeconnector.common;

import java.util.function.Predicate;

/** A failure and its causes, as one chain to search: how the service tells one failure from another. */
public final class Causes {

    private Causes() {
    }

    /** Whether the failure or any of its causes matches (a cause that is its own cause ends the chain). */
    public static boolean any(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
