package dev.stripeconnector.connector;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import dev.stripeconnector.stripe.SecretKeyView;
import java.time.Instant;

/**
 * The console setup as the API shows it: the secret masked, the webhook secret only as set or not, and
 * the redirect URI and webhook endpoint to register at Stripe, on the partner's own domain.
 */
public record ConnectorSettingsView(
        @Schema(nullable = true) String clientId,
        SecretKeyView clientSecret,
        Scope defaultScope,
        AccountType accountType,
        String redirectUri,
        String webhookEndpoint,
        @Schema(description = "Whether the webhook endpoint has a signing secret: partner default's from CONNECTOR_STRIPE_WEBHOOK_SECRETS,"
                + " another partner's from webhookSecret")
        boolean webhookSecretSet,
        String serviceDomain,
        @Schema(nullable = true, description = "Whom a person asks when a connection link is spent or expired") String supportContact,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant updatedAt) {

    static ConnectorSettingsView of(ConnectorSettings settings, PublicOrigin origin, boolean webhookSecretSet) {
        return new ConnectorSettingsView(
                settings.clientId,
                SecretKeyView.of(settings.clientSecret, Source.CONSOLE),
                settings.effectiveScope(),
                settings.effectiveAccountType(),
                origin.redirectUri(),
                origin.url("/webhooks/stripe"),
                webhookSecretSet,
                origin.serviceDomain(),
                settings.supportContact,
                settings.updatedAt);
    }
}
