package dev.stripeconnector.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeconnector.common.StartupRefusal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    static ApiKeys keys(String spec, List<String> readers) {
        ApiKeys keys = new ApiKeys(new SecurityConfig() {
            @Override
            public Optional<String> apiKeys() {
                return Optional.of(spec);
            }

            @Override
            public Optional<List<String>> credentialReaders() {
                return Optional.of(readers);
            }

            @Override
            public Optional<List<String>> adminKeys() {
                return Optional.of(List.of("ops"));
            }
        });
        keys.init();
        return keys;
    }

    @Test
    void authenticatesByKeyAndNamesTheKey() {
        ApiKeys keys = keys("billing:billing-key-0123456789, ops:ops-key-0123456789ab", List.of("billing"));
        assertThat(keys.authenticate("billing-key-0123456789")).contains("billing");
        assertThat(keys.authenticate("ops-key-0123456789ab")).contains("ops");
        assertThat(keys.authenticate("ops-key-0123456789a")).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.rolesOf("billing")).containsExactlyInAnyOrder(Roles.API, Roles.CREDENTIALS_READER);
        assertThat(keys.rolesOf("ops")).containsExactlyInAnyOrder(Roles.API, Roles.ADMIN);
    }

    @Test
    void missingOrMalformedKeysRefuseToStart() {
        assertThatThrownBy(() -> keys("", List.of())).isInstanceOf(StartupRefusal.class).hasMessageContaining("CONNECTOR_API_KEYS is missing");
        assertThatThrownBy(() -> keys("justakey0123456789", List.of())).isInstanceOf(StartupRefusal.class).hasMessageContaining("name:key");
        assertThatThrownBy(() -> keys("a:short", List.of())).isInstanceOf(StartupRefusal.class).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> keys("a:0123456789abcdef,a:0123456789abcdeg", List.of())).isInstanceOf(StartupRefusal.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> keys("bad name:0123456789abcdef", List.of())).isInstanceOf(StartupRefusal.class).hasMessageContaining("key names");
    }

    @Test
    void refusalMessagesNeverEchoAKey() {
        assertThatThrownBy(() -> keys("a:short", List.of())).hasMessageNotContaining("short");
    }
}
