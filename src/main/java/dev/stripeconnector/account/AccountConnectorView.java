package dev.stripeconnector.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stripeconnector.common.SecretView;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.stripe.StripeKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An installation as the API shows it: each effective value with its source, secrets masked. */
public record AccountConnectorView(
        UUID id,
        String accountId,
        String name,
        ConnectorStatus status,
        ClientIdView clientId,
        SecretView clientSecret,
        @JsonInclude(JsonInclude.Include.NON_NULL) ConnectionView connection,
        @JsonInclude(JsonInclude.Include.NON_NULL) ErrorView lastError,
        List<String> warnings,
        Instant createdAt,
        Instant updatedAt) {

    /** The effective client ID and where it comes from; {@code value} is null when neither side sets one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientIdView(String value, Source source) {
    }

    /** The Stripe account the installation is connected to. Tokens are never shown here. */
    public record ConnectionView(String stripeUserId, Boolean livemode, String scope, Instant connectedAt,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Instant tokensRefreshedAt,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) AccountFacts account) {
    }

    /** What the last verify learned of the connected account from Stripe. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountFacts(String id, String businessName, String email, String country,
                               Boolean chargesEnabled, Boolean payoutsEnabled, Instant verifiedAt) {
    }

    /** Stripe's error of the last failed attempt. */
    public record ErrorView(String code, String description, Instant at) {
    }

    public static AccountConnectorView of(AccountConnector installation, EffectiveCredentials effective) {
        AccountFacts facts = installation.lastVerifiedAt == null ? null
                : new AccountFacts(installation.stripeUserId, installation.accountBusinessName, installation.accountEmail,
                        installation.accountCountry, installation.chargesEnabled, installation.payoutsEnabled, installation.lastVerifiedAt);
        ConnectionView connection = installation.stripeUserId == null ? null
                : new ConnectionView(installation.stripeUserId, installation.livemode, installation.scope, installation.connectedAt,
                        installation.tokensRefreshedAt, facts);
        ErrorView error = installation.lastError == null ? null
                : new ErrorView(installation.lastError, installation.lastErrorDescription, installation.lastErrorAt);
        return new AccountConnectorView(
                installation.id,
                installation.accountId,
                installation.name,
                installation.status,
                new ClientIdView(effective.clientId(), effective.clientIdSource()),
                SecretView.of(effective.clientSecret(), effective.clientSecretSource()),
                connection,
                error,
                warnings(installation, effective),
                installation.createdAt,
                installation.updatedAt);
    }

    private static List<String> warnings(AccountConnector installation, EffectiveCredentials effective) {
        List<String> warnings = new ArrayList<>();
        if (installation.livemode != null && effective.clientSecret() != null) {
            boolean keyIsLive = StripeKeys.modeOf(effective.clientSecret().reveal()) == StripeKeys.Mode.LIVE;
            if (keyIsLive != installation.livemode) {
                warnings.add("The connection is in " + (installation.livemode ? "live" : "test") + " mode but the effective secret key is a "
                        + (keyIsLive ? "live" : "test") + " key: Stripe calls for this account will fail until they match");
            }
        }
        return warnings;
    }
}
