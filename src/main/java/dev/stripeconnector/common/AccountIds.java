package dev.stripeconnector.common;

import java.util.regex.Pattern;

/** The partner's own identifier of an account (DESIGN §4). */
public final class AccountIds {

    /** The longest account id (the forms' maxlength too). */
    public static final int MAX_LENGTH = 128;
    /** 1-128 characters of letters, digits, '.', '_', ':' and '-'. */
    public static final String PATTERN = "[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}";
    public static final String MESSAGE = "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    private AccountIds() {
    }

    /** Whether the text is a well-formed account id. */
    public static boolean valid(String accountId) {
        return accountId != null && VALID.matcher(accountId).matches();
    }

    /** An account id from a request path, or the field error every endpoint answers for a malformed one. */
    public static void check(String accountId) {
        if (!valid(accountId)) {
            throw InvalidInput.of("accountId", MESSAGE);
        }
    }
}
