package dev.stripeconnector.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.partner.PartnerId;
import org.junit.jupiter.api.Test;

/** What a console session cookie's principal name is taken to be. */
class ConsolePrincipalTest {

    @Test
    void aSessionNamesItsUserAndEpoch() {
        ConsolePrincipal principal = new ConsolePrincipal("alice", 3);
        assertThat(principal.getName()).isEqualTo("alice#3");
        assertThat(ConsolePrincipal.parse(principal.getName())).contains(principal);
    }

    @Test
    void aCookieFromBeforeEpochsIsEpochZeroSoTheFirstPasswordChangeEndsIt() {
        assertThat(ConsolePrincipal.parse("alice")).contains(new ConsolePrincipal("alice", 0));
    }

    @Test
    void aPartnersUserAndAnOperatorAreNamedApartFromPartnerDefaultsUserOfTheSameName() {
        ConsolePrincipal acme = new ConsolePrincipal(new PartnerId("acme"), "alice", 3);
        ConsolePrincipal operator = new ConsolePrincipal(null, "alice", 3);
        assertThat(acme.getName()).isEqualTo("acme/alice#3");
        assertThat(operator.getName()).isEqualTo("*/alice#3");
        assertThat(ConsolePrincipal.parse(acme.getName())).contains(acme);
        assertThat(ConsolePrincipal.parse(operator.getName())).contains(operator);
        assertThat(operator.operator()).isTrue();
        // Partner default's users keep the name sessions had before partners, so an upgrade signs nobody out.
        assertThat(new ConsolePrincipal(PartnerId.DEFAULT, "alice", 3).getName()).isEqualTo("alice#3");
        assertThat(ConsolePrincipal.shown(acme.user())).isEqualTo("alice");
    }

    @Test
    void anythingElseNamesNoSession() {
        assertThat(ConsolePrincipal.parse("alice#x")).isEmpty();
        assertThat(ConsolePrincipal.parse("#3")).isEmpty();
        assertThat(ConsolePrincipal.parse("")).isEmpty();
        assertThat(ConsolePrincipal.parse(null)).isEmpty();
        assertThat(ConsolePrincipal.parse("default/alice#3")).as("default's users are named without it").isEmpty();
        assertThat(ConsolePrincipal.parse("Not A Partner/alice#3")).isEmpty();
        assertThat(ConsolePrincipal.parse("acme/#3")).isEmpty();
        assertThat(ConsolePrincipal.parse("acme/")).isEmpty();
    }
}
