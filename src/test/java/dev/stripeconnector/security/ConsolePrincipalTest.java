package dev.stripeconnector.security;

import static org.assertj.core.api.Assertions.assertThat;

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
    void anythingElseNamesNoSession() {
        assertThat(ConsolePrincipal.parse("alice#x")).isEmpty();
        assertThat(ConsolePrincipal.parse("#3")).isEmpty();
        assertThat(ConsolePrincipal.parse("")).isEmpty();
        assertThat(ConsolePrincipal.parse(null)).isEmpty();
    }
}
