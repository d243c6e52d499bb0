package dev.stripeconnector.stripe;

import java.util.regex.Pattern;

/** The shapes of Stripe's identifiers, as the connector accepts them. */
public final class StripeKeys {

    /** A Connect platform's client ID, from the dashboard's Connect settings. */
    public static final Pattern CLIENT_ID = Pattern.compile("ca_[A-Za-z0-9]+");
    /** A secret or restricted key, in test or live mode. */
    public static final Pattern SECRET_KEY = Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9]+");
    /** A webhook endpoint's signing secret, from the dashboard's webhook settings. */
    public static final Pattern WEBHOOK_SECRET = Pattern.compile("whsec_[A-Za-z0-9]{8,}");
    /** A connected (or platform) account id. */
    public static final Pattern ACCOUNT_ID = Pattern.compile("acct_[A-Za-z0-9]{1,250}");
    public static final int MAX_LENGTH = 255;

    private StripeKeys() {
    }

    /** {@code test} or {@code live}, read from a key that matched {@link #SECRET_KEY}. */
    public static Mode modeOf(String secretKey) {
        return secretKey.startsWith("sk_live_") || secretKey.startsWith("rk_live_") ? Mode.LIVE : Mode.TEST;
    }

    public static boolean isClientId(String value) {
        return value.length() <= MAX_LENGTH && CLIENT_ID.matcher(value).matches();
    }

    public static boolean isSecretKey(String value) {
        return value.length() <= MAX_LENGTH && SECRET_KEY.matcher(value).matches();
    }

    public static boolean isWebhookSecret(String value) {
        return value.length() <= MAX_LENGTH && WEBHOOK_SECRET.matcher(value).matches();
    }

    /** Adds a field error unless {@code value} is absent or a client ID. */
    public static void checkClientId(dev.stripeconnector.common.Fields fields, String field, String value) {
        if (value != null && !isClientId(value)) {
            fields.add(field, "must be a Stripe Connect client ID: 'ca_' followed by letters and digits");
        }
    }

    /** Adds a field error unless {@code value} is absent or a secret or restricted key. */
    public static void checkSecretKey(dev.stripeconnector.common.Fields fields, String field, String value) {
        if (value != null && !isSecretKey(value)) {
            fields.add(field, "must be a Stripe secret key: 'sk_test_', 'sk_live_', 'rk_test_' or 'rk_live_' followed by letters and digits");
        }
    }

    /** Stripe's two worlds: a key, a client ID and a connection each belong to exactly one. */
    public enum Mode {
        TEST, LIVE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase();
        }
    }
}
