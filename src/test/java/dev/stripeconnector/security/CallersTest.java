package dev.stripeconnector.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeconnector.common.Forbidden;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one way to learn which partner a request acts for. */
class CallersTest {

    @Test
    void aPartnersKeyCarriesItsPartnerAndRoles() {
        var identity = Callers.identity(new Caller("billing", new PartnerId("acme"), Set.of(Roles.API, Roles.ADMIN)));
        assertThat(Callers.partnerOf(identity)).isEqualTo(new PartnerId("acme"));
        assertThat(identity.getPrincipal().getName()).isEqualTo("billing");
        assertThat(identity.getRoles()).containsExactlyInAnyOrder(Roles.API, Roles.ADMIN);
    }

    @Test
    void anOperatorActsForNoPartner() {
        var identity = Callers.identity(Caller.operator("alice"));
        assertThat(identity.getRoles()).containsExactlyInAnyOrder(Roles.OPERATOR, Roles.MAINTENANCE);
        assertThatThrownBy(() -> Callers.partnerOf(identity)).isInstanceOf(Forbidden.class);
    }

    @Test
    void aConsoleUserIsPartnerDefaultsForNow() {
        var user = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("partner-admin")).addRole(Roles.ADMIN).build();
        assertThat(Callers.partnerOf(user)).isEqualTo(PartnerId.DEFAULT);
    }
}
