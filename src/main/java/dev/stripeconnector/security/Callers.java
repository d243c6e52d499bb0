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

    private Callers() {
    }

    /**
     * The partner the caller acts for. An operator acts for none: operators' keys never reach a partner's
     * routes (403), so asking for it is refused too. A console user's identity carries no partner yet:
     * every console user is partner default's until the console learns partners.
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
