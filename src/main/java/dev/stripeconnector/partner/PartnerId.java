package dev.stripeconnector.partner;

import dev.stripeconnector.common.InvalidInput;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which partner something belongs to: a slug the operator chose when creating the partner, never
 * changed afterwards. Holding one means the text was checked: a {@code PartnerId} is always valid.
 */
public record PartnerId(String value) {

    /** 1-64 lower-case letters, digits and '-', starting with a letter or digit (the schema checks the same). */
    public static final int MAX_LENGTH = 64;
    public static final String PATTERN = "[a-z0-9][a-z0-9-]{0," + (MAX_LENGTH - 1) + "}";
    public static final String MESSAGE = "must be 1-64 lower-case letters, digits or '-', starting with a letter or digit";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    /** The first partner of every deployment: an upgraded single-partner deployment's data and configured keys are its. */
    public static final PartnerId DEFAULT = new PartnerId("default");

    public PartnerId {
        if (!valid(value)) {
            throw new IllegalArgumentException("A partner id " + MESSAGE);
        }
    }

    public static boolean valid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    public static Optional<PartnerId> parse(String value) {
        return valid(value) ? Optional.of(new PartnerId(value)) : Optional.empty();
    }

    /** A partner id from a request path, or the field error every operator route answers for a malformed one. */
    public static PartnerId fromPath(String value) {
        return parse(value).orElseThrow(() -> InvalidInput.of("partnerId", MESSAGE));
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    @Override
    public String toString() {
        return value;
    }
}
