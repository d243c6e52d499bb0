package dev.stripeconnector.common;

/** The partner's own identifier of an account (DESIGN §4). */
public final class AccountIds {

    /** 1-128 characters of letters, digits, '.', '_', ':' and '-'. */
    public static final String PATTERN = "[A-Za-z0-9._:-]{1,128}";
    public static final String MESSAGE = "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'";

    private AccountIds() {
    }
}
