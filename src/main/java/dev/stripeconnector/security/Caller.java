package dev.stripeconnector.security;

import dev.stripeconnector.partner.PartnerId;
import java.util.Set;

/**
 * Who presented an API key: the key's name (what audit records show), the partner it acts for (none
 * for an operator) and its roles.
 */
public record Caller(String name, PartnerId partner, Set<String> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    static Caller operator(String name) {
        return new Caller(name, null, Set.of(Roles.OPERATOR, Roles.MAINTENANCE));
    }

    public boolean isOperator() {
        return partner == null;
    }
}
