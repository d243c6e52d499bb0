package dev.stripeconnector.security;

import dev.stripeconnector.common.Forbidden;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/**
 * The partner a request acts for, from its identity: the one way resources and services learn it
 * ({@link #partnerOf}). Resources read it once and hand it down as an explicit parameter.
 */
public final class Callers {

    /** The identity attribute holding the caller's {@link PartnerId} (absent for an operator). */
    static final String PARTNER = "dev.stripeconnector.partner";
    /** Present (true) on an operator's console identity while it shows a partner's console, which it may only read. */
    static final String READ_ONLY = "dev.stripeconnector.read-only";

    private Callers() {
    }

    /**
     * The partner the caller acts for: an API key's partner, or a console user's. An operator acts for none:
     * operators' keys never reach a partner's routes (403), so asking for it is refused too; an operator's
     * console session acts, read-only ({@link #readOnly}), for the partner whose console the operator opened.
     * An identity that names no partner and is no operator's is partner default's.
     */
    public static PartnerId partnerOf(SecurityIdentity identity) {
        PartnerId partner = identity.getAttribute(PARTNER);
        if (partner != null) {
            return partner;
        }
        if (identity.hasRole(Roles.OPERATOR)) {
            throw new Forbidden("An operator key acts for no partner: a partner's routes need one of the partner's keys");
        }
        return PartnerId.DEFAULT;
    }

    /** Whether the caller may only read: an operator looking at a partner's console. */
    public static boolean readOnly(SecurityIdentity identity) {
        return Boolean.TRUE.equals(identity.getAttribute(READ_ONLY));
    }

    /** Whether the caller is an operator (a key or a console user), who may look at a partner's data but change none of it. */
    public static boolean operator(SecurityIdentity identity) {
        return identity.hasRole(Roles.OPERATOR);
    }

    static SecurityIdentity identity(Caller caller) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRoles(caller.roles());
        if (!caller.isOperator()) {
            identity.addAttribute(PARTNER, caller.partner());
        }
        return identity.build();
    }
}
