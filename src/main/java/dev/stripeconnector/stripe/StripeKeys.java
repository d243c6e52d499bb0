package dev.stripeconnector.stripe;

import java.util.regex.Pattern;

/** The shapes of Stripe's identifiers, as the connector accepts them. */
public final class StripeKeys {

    /** A Connect platform's client ID, from the dashboard's Connect settings. */
    public static final Pattern CLIENT_ID = Pattern.compile("ca_[A-Za-z0-9]+");
    /** A secret or restricted key, in test or live mode. */
    public static final Pattern SECRET_KEY = Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9]+");
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

    /** Stripe's two worlds: a key, a client ID and a connection each belong to exactly one. */
    public enum Mode {
        TEST, LIVE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase();
        }
    }
}
