package dev.stripeconnector.connector;

import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PUT /api/v1/connector}. Each field is three-valued: absent (Java {@code null})
 * keeps the stored value, JSON {@code null} ({@code Optional.empty()}) clears it, a value sets it.
 */
public class ConnectorSettingsUpdate {

    /** The Connect client ID, {@code ca_…}. */
    public Optional<String> clientId;
    /** The platform's secret key, {@code sk_…} or {@code rk_…}; write-only. */
    public Optional<String> clientSecret;
    /** {@code read_write} (the default) or {@code read_only}. */
    @Schema(nullable = true, implementation = String.class, description = "read_write or read_only; null resets it to read_write")
    public Optional<Scope> defaultScope;
    /** {@code standard} (the default) or {@code express}. */
    @Schema(nullable = true, implementation = String.class, description = "standard or express; null resets it to standard")
    public Optional<AccountType> accountType;
    /**
     * The signing secret ({@code whsec_…}) of the webhook endpoint on the partner's own domain; write-only.
     * A new one keeps the one it replaces valid for {@code CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY};
     * null clears both. Partner default's endpoint is signed with {@code CONNECTOR_STRIPE_WEBHOOK_SECRETS} instead.
     */
    @Schema(nullable = true, implementation = String.class, writeOnly = true,
            description = "The webhook endpoint's signing secret (whsec_…), write-only; a new one keeps the previous one valid for 24 hours"
                    + " (CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY); null clears it. Not for partner default, whose endpoint is"
                    + " signed with CONNECTOR_STRIPE_WEBHOOK_SECRETS")
    public Optional<String> webhookSecret;
    /** {@code true}: the previous webhook signing secret stops being valid at once (with or without a new webhookSecret). */
    @Schema(nullable = true, description = "true: the previous webhook signing secret stops being valid at once, e.g. because it"
            + " leaked (with a new webhookSecret, the one it replaces is not kept at all)")
    public Boolean expirePreviousWebhookSecret;
    /** Whom a person asks when a connection link is spent or expired: an email address or an http(s) URL; null clears it. */
    @Schema(nullable = true, implementation = String.class, maxLength = SupportContacts.MAX_LENGTH,
            description = "Whom a person asks when a connection link is spent or expired (shown on that page): an email address or an"
                    + " https URL; null clears it")
    public Optional<String> supportContact;
}
