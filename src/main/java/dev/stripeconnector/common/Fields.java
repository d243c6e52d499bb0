package dev.stripeconnector.common;

import dev.stripeconnector.stripe.StripeKeys;
import java.util.ArrayList;
import java.util.List;

/** Collects field-level validation errors so a caller learns every problem of a body at once. */
public final class Fields {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public Fields clientId(String field, String value) {
        if (value != null && !StripeKeys.isClientId(value)) {
            add(field, "must be a Stripe Connect client ID: 'ca_' followed by letters and digits");
        }
        return this;
    }

    public Fields secretKey(String field, String value) {
        if (value != null && !StripeKeys.isSecretKey(value)) {
            add(field, "must be a Stripe secret key: 'sk_test_', 'sk_live_', 'rk_test_' or 'rk_live_' followed by letters and digits");
        }
        return this;
    }

    public Fields maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            add(field, "must be at most " + max + " characters");
        }
        return this;
    }

    public Fields add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    /** Throws a 400 naming every collected error, if there is any. */
    public void orThrow() {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(detail(errors), List.copyOf(errors));
        }
    }

    public static String detail(List<Problem.FieldError> errors) {
        return String.join("; ", errors.stream().map(e -> e.field() + " " + e.message()).toList());
    }
}
