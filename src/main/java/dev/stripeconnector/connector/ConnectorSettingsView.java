package dev.stripeconnector.connector;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import dev.stripeconnector.stripe.SecretKeyView;
import java.time.Instant;

/** The console setup as the API shows it: the secret masked, the redirect URI to register at Stripe. */
public record ConnectorSettingsView(
        @Schema(nullable = true) String clientId,
        SecretKeyView clientSecret,
        Scope defaultScope,
        AccountType accountType,
        String redirectUri,
        String webhookEndpoint,
        String serviceDomain,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant updatedAt) {

    static ConnectorSettingsView of(ConnectorSettings settings, PublicOrigin origin) {
        return new ConnectorSettingsView(
                settings.clientId,
                SecretKeyView.of(settings.clientSecret, Source.CONSOLE),
                settings.effectiveScope(),
                settings.effectiveAccountType(),
                origin.redirectUri(),
                origin.url("/webhooks/stripe"),
                origin.serviceDomain(),
                settings.updatedAt);
    }
}
