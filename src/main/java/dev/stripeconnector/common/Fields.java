package dev.stripeconnector.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects field-level validation errors so a caller learns every problem of a body at once.
 * Every text a caller sends is checked here before it can reach a column: its length against
 * the column's size, and for characters PostgreSQL cannot store (NUL) or a person cannot see.
 */
public final class Fields {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** A free text (a name, a description) of at most {@code max} characters, without control characters. */
    public Fields text(String field, String value, int max) {
        if (value == null) {
            return this;
        }
        if (value.length() > max) {
            add(field, "must be at most " + max + " characters");
        } else if (hasControlCharacter(value)) {
            add(field, "must not contain control characters (such as NUL)");
        }
        return this;
    }

    /**
     * A page size given as a query parameter: {@code defaultSize} when absent, else a whole number from
     * 1 to {@code max} (anything else is an error of {@code field}, and the default is answered).
     */
    public int limit(String field, String value, int defaultSize, int max) {
        if (value == null || value.isEmpty()) {
            return defaultSize;
        }
        try {
            int size = Integer.parseInt(value);
            if (size >= 1 && size <= max) {
                return size;
            }
        } catch (NumberFormatException e) {
            // Refused below.
        }
        add(field, "must be a whole number from 1 to " + max);
        return defaultSize;
    }

    public Fields add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws a 400 naming every collected error, if there is any. */
    public void orThrow() {
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }

    public static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A field's error as a sentence for a page: "The secret key must be …". */
    public static String sentence(String field, String message) {
        String name = switch (field) {
            case "clientId" -> "The client ID";
            case "clientSecret" -> "The secret key";
            case "webhookSecret" -> "The webhook signing secret";
            case "name" -> "The name";
            case "accountId" -> "The account id";
            case "url" -> "The URL";
            case "eventTypes" -> "The event types";
            case "stripeEventTypes" -> "The Stripe event types";
            case "description" -> "The description";
            case "supportContact" -> "The support contact";
            default -> field;
        };
        return name + " " + message;
    }

    public static String detail(List<Problem.FieldError> errors) {
        return String.join("; ", errors.stream().map(e -> e.field() + " " + e.message()).toList());
    }
}
