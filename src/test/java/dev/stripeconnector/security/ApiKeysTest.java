package dev.stripeconnector.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.partner.PartnerId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    static ApiKeys keys(String spec, List<String> readers) {
        return keys(spec, readers, null);
    }

    static ApiKeys keys(String spec, List<String> readers, String operators) {
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

            @Override
            public Optional<String> operatorKeys() {
                return Optional.ofNullable(operators);
            }
        });
        keys.init();
        return keys;
    }

    @Test
    void authenticatesByKeyAndNamesTheKeyOfPartnerDefault() {
        ApiKeys keys = keys("billing:billing-key-0123456789, ops:ops-key-0123456789ab", List.of("billing"));
        assertThat(keys.authenticate("billing-key-0123456789")).map(Caller::name).contains("billing");
        assertThat(keys.authenticate("ops-key-0123456789ab")).map(Caller::name).contains("ops");
        assertThat(keys.authenticate("ops-key-0123456789a")).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        Caller billing = keys.authenticate("billing-key-0123456789").orElseThrow();
        assertThat(billing.partner()).isEqualTo(PartnerId.DEFAULT);
        assertThat(billing.roles()).containsExactlyInAnyOrder(Roles.API, Roles.CREDENTIALS_READER);
        // The admin keys keep the service-wide maintenance they had before operators existed.
        assertThat(keys.authenticate("ops-key-0123456789ab").orElseThrow().roles())
                .containsExactlyInAnyOrder(Roles.API, Roles.ADMIN, Roles.MAINTENANCE);
    }

    @Test
    void operatorKeysActForNoPartnerAndHoldNoPartnersRole() {
        ApiKeys keys = keys("billing:billing-key-0123456789", List.of(), "alice:alice-operator-key-01,bob:bob-operator-key-0123");
        Caller alice = keys.authenticate("alice-operator-key-01").orElseThrow();
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.isOperator()).isTrue();
        assertThat(alice.partner()).isNull();
        assertThat(alice.roles()).containsExactlyInAnyOrder(Roles.OPERATOR, Roles.MAINTENANCE);
        assertThat(keys.authenticate("bob-operator-key-0123")).map(Caller::name).contains("bob");
        assertThat(keys.authenticate("billing-key-0123456789").orElseThrow().isOperator()).isFalse();
    }

    @Test
    void operatorKeysAreOptionalAndCheckedLikeTheOthersWhenGiven() {
        assertThatNoException().isThrownBy(() -> ApiKeys.check("a:0123456789abcdef", ""));
        assertThatNoException().isThrownBy(() -> keys("a:0123456789abcdef", List.of(), null));
        assertThatThrownBy(() -> ApiKeys.check("a:0123456789abcdef", "op:short")).isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("CONNECTOR_OPERATOR_KEYS is malformed").hasMessageNotContaining("short");
        assertThatThrownBy(() -> ApiKeys.check("a:0123456789abcdef", "justakey0123456789")).hasMessageContaining("name:key");
        assertThatThrownBy(() -> ApiKeys.check("a:0123456789abcdef", "op:0123456789abcdef"))
                .isInstanceOf(StartupRefusal.class).hasMessageContaining("hold the same key").hasMessageNotContaining("0123456789abcdef");
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
