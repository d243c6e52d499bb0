package dev.stripeconnector.connector;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/**
 * A change of the console setup or of an account's overrides that would leave connected
 * installations without a client ID or secret key, or move them to another platform or mode; or a
 * client ID and secret key that Stripe has shown to belong to two platforms.
 */
public class SettingsInUse extends DomainException {

    /**
     * A key whose own account Stripe will not show cannot be tied to a platform; under connections of a
     * known platform it may be another platform's key, and its "no access" would read as a revocation.
     */
    public static final String KEY_WITHOUT_PLATFORM = "a secret key that Stripe cannot tie to a platform"
            + " (it may not read its own account with GET /v1/account, so it may be another platform's key)";

    public SettingsInUse(String detail) {
        super(detail);
    }

    public static SettingsInUse of(long installations, String change) {
        return new SettingsInUse("Refused: " + change + " would strand " + installations + " connected installation"
                + (installations == 1 ? "" : "s") + " that depend" + (installations == 1 ? "s" : "") + " on the current value."
                + " Disconnect them first, or give them their own values");
    }

    /**
     * A client ID and a secret key of two Stripe platforms, as Stripe has shown them (the key's own account when it
     * was saved, the client ID's earlier connections): refused before anyone goes to Stripe, like a key that cannot
     * be tied to a platform under connections of a known one. {@code why} says which platforms and what to fix.
     */
    public static SettingsInUse otherPlatform(String why) {
        return new SettingsInUse("Refused: " + why);
    }

    @Override
    public Failure failure() {
        return Failure.SETTINGS_IN_USE;
    }
}
