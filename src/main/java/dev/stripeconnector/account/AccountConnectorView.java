package dev.stripeconnector.account;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.stripe.SecretKeyView;
import dev.stripeconnector.stripe.StripeKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An installation as the API shows it: each effective value with its source, secrets masked. */
public record AccountConnectorView(
        UUID id,
        String accountId,
        @Schema(nullable = true) String name,
        ConnectorStatus status,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @Schema(description = "With status needs_credentials: the values the account must still supply")
        List<String> missing,
        ClientIdView clientId,
        SecretKeyView clientSecret,
        @JsonInclude(JsonInclude.Include.NON_NULL) OwnPlatformView ownPlatform,
        @JsonInclude(JsonInclude.Include.NON_NULL) ConnectionView connection,
        @JsonInclude(JsonInclude.Include.NON_NULL) ErrorView lastError,
        List<String> warnings,
        Instant createdAt,
        Instant updatedAt) {

    /** The effective client ID and where it comes from; {@code value} is null when neither side sets one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientIdView(String value, Source source) {
    }

    /**
     * For an account that brings its own platform (its own client ID): the webhook endpoint to
     * register in that platform, and whether its signing secret is set.
     */
    public record OwnPlatformView(String webhookEndpoint, boolean webhookSecretSet) {
    }

    /** The Stripe account the installation is connected to. Tokens are never shown here. */
    public record ConnectionView(String stripeUserId, @Schema(nullable = true) Boolean livemode, @Schema(nullable = true) String scope, @Schema(nullable = true) String clientId, @Schema(nullable = true, implementation = String.class, format = "date-time") Instant connectedAt,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Instant tokensRefreshedAt,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) AccountFacts account) {
    }

    /**
     * What Stripe told of the connected account: the last verify, or a later {@code account.updated} event
     * ({@code verifiedAt}: the last verify, absent when only events told them).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountFacts(String id, String businessName, String email, String country,
                               Boolean chargesEnabled, Boolean payoutsEnabled, Instant verifiedAt) {
    }

    /** What went wrong last, with what to do about it. */
    public record ErrorView(String code, @Schema(nullable = true) String description, @Schema(nullable = true, implementation = String.class, format = "date-time") Instant at) {
    }

    /** The view of an installation as {@code installation_state} states it; {@code webhookBaseUrl} is the service's webhook endpoint. */
    public static AccountConnectorView of(InstallationState installation, String webhookBaseUrl) {
        boolean told = installation.lastVerifiedAt() != null || installation.accountBusinessName() != null
                || installation.chargesEnabled() != null || installation.payoutsEnabled() != null;
        AccountFacts facts = !told ? null
                : new AccountFacts(installation.stripeUserId(), installation.accountBusinessName(), installation.accountEmail(),
                        installation.accountCountry(), installation.chargesEnabled(), installation.payoutsEnabled(), installation.lastVerifiedAt());
        ConnectionView connection = installation.stripeUserId() == null ? null
                : new ConnectionView(installation.stripeUserId(), installation.livemode(), installation.scope(), installation.connectedClientId(),
                        installation.connectedAt(), installation.tokensRefreshedAt(), facts);
        ErrorView error = installation.lastError() == null ? null
                : new ErrorView(installation.lastError(), installation.lastErrorDescription(), installation.lastErrorAt());
        OwnPlatformView ownPlatform = installation.clientIdSource() != Source.ACCOUNT ? null
                : new OwnPlatformView(webhookBaseUrl + "/" + installation.clientId(), installation.ownWebhookSecretSet());
        return new AccountConnectorView(
                installation.id(),
                installation.accountId(),
                installation.name(),
                installation.status(),
                installation.missing(),
                new ClientIdView(installation.clientId(), installation.clientIdSource()),
                SecretKeyView.of(installation.clientSecret(), installation.clientSecretSource()),
                ownPlatform,
                connection,
                error,
                warnings(installation),
                installation.createdAt(),
                installation.updatedAt());
    }

    private static List<String> warnings(InstallationState installation) {
        List<String> warnings = new ArrayList<>();
        if (installation.livemode() != null && installation.clientSecret() != null) {
            boolean keyIsLive = StripeKeys.modeOf(installation.clientSecret().reveal()) == StripeKeys.Mode.LIVE;
            if (keyIsLive != installation.livemode()) {
                warnings.add("The connection is in " + (installation.livemode() ? "live" : "test") + " mode but the effective secret key is a "
                        + (keyIsLive ? "live" : "test") + " key: Stripe calls for this account will fail until they match");
            }
        }
        if (installation.connectedClientId() != null && installation.clientId() != null
                && !installation.connectedClientId().equals(installation.clientId())) {
            warnings.add("The connection was made through the platform " + installation.connectedClientId()
                    + " but the effective client ID is now " + installation.clientId() + ": connect the account again");
        }
        // Stripe answers the token exchange only with the key of the platform that owns the client ID:
        // values from two sides are most likely two platforms, found out only after the person went through Stripe.
        if (installation.clientId() != null && installation.clientSecret() != null
                && installation.clientIdSource() != installation.clientSecretSource()) {
            warnings.add("The client ID comes from the " + installation.clientIdSource().json() + " but the secret key from the "
                    + installation.clientSecretSource().json() + ": the secret key must be the one of the Stripe platform that owns client ID "
                    + installation.clientId() + ": enter both on the account, or neither");
        }
        return warnings;
    }
}
