package dev.stripeconnector.common;

import java.util.regex.Pattern;

/** The partner's own identifier of an account (DESIGN §4). */
public final class AccountIds {

    /** 1-128 characters of letters, digits, '.', '_', ':' and '-'. */
    public static final String PATTERN = "[A-Za-z0-9._:-]{1,128}";
    public static final String MESSAGE = "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    private AccountIds() {
    }

    /** An account id from a request path, or the field error every endpoint answers for a malformed one. */
    public static void check(String accountId) {
        if (accountId == null || !VALID.matcher(accountId).matches()) {
            throw InvalidInput.of("accountId", MESSAGE);
        }
    }
}
