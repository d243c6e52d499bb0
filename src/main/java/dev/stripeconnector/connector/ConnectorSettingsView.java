package dev.stripeconnector.connector;

import dev.stripeconnector.common.SecretView;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import java.time.Instant;

/** The console setup as the API shows it: the secret masked, the redirect URI to register at Stripe. */
public record ConnectorSettingsView(
        String clientId,
        SecretView clientSecret,
        Scope defaultScope,
        AccountType accountType,
        String redirectUri,
        String serviceDomain,
        Instant updatedAt) {

    static ConnectorSettingsView of(ConnectorSettings settings, ServiceUrls urls) {
        return new ConnectorSettingsView(
                settings.clientId,
                SecretView.of(settings.clientSecret, Source.CONSOLE),
                settings.effectiveScope(),
                settings.effectiveAccountType(),
                urls.redirectUri(),
                urls.serviceDomain(),
                settings.updatedAt);
    }
}
