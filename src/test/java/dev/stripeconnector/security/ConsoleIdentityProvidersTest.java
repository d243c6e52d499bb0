package dev.stripeconnector.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.elytron.security.common.BcryptUtil;
import org.junit.jupiter.api.Test;

/** The sign-in's check of an unknown user name against a written-out hash. */
class ConsoleIdentityProvidersTest {

    @Test
    void anUnknownNameCostsWhatAStoredPasswordCosts() {
        // Same algorithm and cost as the hash of a real console user's password: a refusal of an unknown name
        // takes as long as a wrong password, so its time does not tell the two apart.
        String stored = BcryptUtil.bcryptHash("a console user's password");
        assertThat(ConsoleIdentityProviders.SignIn.DUMMY_HASH.substring(0, 7)).isEqualTo(stored.substring(0, 7));
        assertThat(BcryptUtil.matches("no such user", ConsoleIdentityProviders.SignIn.DUMMY_HASH)).isTrue();
        assertThat(BcryptUtil.matches("a console user's password", ConsoleIdentityProviders.SignIn.DUMMY_HASH)).isFalse();
    }
}
