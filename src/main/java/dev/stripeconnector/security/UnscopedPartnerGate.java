package dev.stripeconnector.security;

import dev.stripeconnector.common.Failure;

/**
 * TEMPORARY: issue 20's stage 2 deletes this class and its one call, in
 * {@link ApiKeyIdentityProvider#authenticate}, once every read and write of the partners' routes is
 * scoped by partner. Until then those routes serve partner default's data to whoever may call them, so
 * a key of any other partner would see and change default's installations: such a key is refused on
 * every route with 403 {@code partner-not-served-yet} (the operators' routes refuse it anyway). Its
 * other traces, to go with it: {@code Failure.PARTNER_NOT_SERVED_YET} and its problem type, the words
 * about it in {@code common/SharedResponses}, and the "For now" part of docs/partners.md.
 */
final class UnscopedPartnerGate {

    private UnscopedPartnerGate() {
    }

    static Caller check(Caller caller) {
        if (!caller.isOperator() && !caller.partner().isDefault()) {
            throw new KeyRefused(Failure.PARTNER_NOT_SERVED_YET, "This key belongs to partner '" + caller.partner() + "', and this"
                    + " version of the service serves partner default's data only: other partners' keys work once it serves each partner's own");
        }
        return caller;
    }
}
