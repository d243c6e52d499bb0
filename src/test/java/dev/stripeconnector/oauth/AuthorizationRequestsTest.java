package dev.stripeconnector.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeconnector.account.Installations;
import dev.stripeconnector.account.NotInstalled;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import dev.stripeconnector.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Authorize's two statements (in process: the window between them cannot be hit over HTTP). */
@QuarkusTest
class AuthorizationRequestsTest {

    @Inject
    AuthorizationRequests requests;

    @Inject
    Installations installations;

    @Test
    void anInstallationRemovedBetweenTheReadAndTheInsertIsNotInstalledAndNothingIsStored() {
        Api.resetDatabase();
        AuthorizationRequest orphan = new AuthorizationRequest();
        orphan.id = UUID.randomUUID();
        orphan.partnerId = PartnerId.DEFAULT.value();
        orphan.accountConnectorId = UUID.randomUUID();
        orphan.stateHash = "a".repeat(64);
        orphan.setupTokenHash = "b".repeat(64);
        orphan.createdAt = Instant.now();
        orphan.setupExpiresAt = orphan.createdAt.plus(Duration.ofDays(1));
        orphan.expiresAt = orphan.createdAt;

        assertThatThrownBy(() -> requests.insert(orphan, "gone-shop")).isInstanceOf(NotInstalled.class);
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("0");
    }

    @Test
    void theReadResolvesTheConsolesChoicesAndTheEffectiveCredentials() {
        Api.resetDatabase();
        Installations.AuthorizeTarget none = installations.authorizeTarget(PartnerId.DEFAULT, "nobody-here");
        assertThat(none.installationId()).isNull();
        assertThat(none.consoleScope()).isEqualTo(Scope.READ_WRITE);
        assertThat(none.consoleAccountType()).isEqualTo(AccountType.STANDARD);

        Api.update("update connector_settings set client_id = 'ca_Console1', default_scope = 'READ_ONLY', account_type = 'EXPRESS'");
        Api.json(java.util.Map.of("name", "Shop")).put("/api/v1/accounts/reader-shop/connector").then().statusCode(201);
        Installations.AuthorizeTarget installed = installations.authorizeTarget(PartnerId.DEFAULT, "reader-shop");
        assertThat(installed.installationId()).isNotNull();
        assertThat(installed.clientId()).isEqualTo("ca_Console1");
        assertThat(installed.complete()).isFalse();
        assertThat(installed.missing()).containsExactly("clientSecret");
        assertThat(installed.consoleScope()).isEqualTo(Scope.READ_ONLY);
        assertThat(installed.consoleAccountType()).isEqualTo(AccountType.EXPRESS);
    }
}
