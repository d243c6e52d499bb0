package dev.stripeconnector.connector;

import dev.stripeconnector.account.ClientPlatforms;
import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.account.Installations;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.MalformedRequest;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.events.Event;
import dev.stripeconnector.events.EventOutbox;
import dev.stripeconnector.events.EventType;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.PlatformKey;
import dev.stripeconnector.stripe.StripeApiGateway;
import dev.stripeconnector.stripe.StripeFailure;
import dev.stripeconnector.stripe.StripeKeys;
import dev.stripeconnector.webhook.WebhookConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads and changes a partner's console setup (each method names the partner). A change that would strand connected installations (no
 * client ID or key left, or another platform or mode) is refused, and a new secret key is checked
 * against Stripe before it is saved.
 */
@ApplicationScoped
public class ConnectorService {

    private final PublicOrigins origins;
    private final StripeApiGateway stripe;
    private final ServiceClock clock;
    private final EventOutbox events;
    private final Installations installations;
    private final boolean configuredWebhookSecrets;
    private final Duration previousWebhookSecretValidity;
    private final AuditTrail audit;

    public ConnectorService(PublicOrigins origins, StripeApiGateway stripe, ServiceClock clock, EventOutbox events, Installations installations,
                            WebhookConfig webhooks, AuditTrail audit) {
        this.audit = audit;
        this.origins = origins;
        this.configuredWebhookSecrets = webhooks.stripeWebhookSecrets().map(secrets -> !secrets.isEmpty()).orElse(false);
        this.previousWebhookSecretValidity = webhooks.stripeWebhookPreviousSecretValidity();
        this.installations = installations;
        this.stripe = stripe;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    public ConnectorSettingsView view(PartnerId partner) {
        return viewOf(ConnectorSettings.of(partner));
    }

    /** The view of a partner's settings: its URLs on the partner's own domain. */
    private ConnectorSettingsView viewOf(ConnectorSettings settings) {
        PartnerId partner = settings.partner();
        return ConnectorSettingsView.of(settings, origins.of(partner),
                partner.isDefault() ? configuredWebhookSecrets : settings.webhookSigningSecret != null);
    }

    public ConnectorSettingsView update(PartnerId partner, ConnectorSettingsUpdate update) {
        if (update == null) {
            throw new MalformedRequest("Send the console setup as a JSON object");
        }
        Fields fields = new Fields();
        StripeKeys.checkClientId(fields, "clientId", valueOf(update.clientId));
        StripeKeys.checkSecretKey(fields, "clientSecret", valueOf(update.clientSecret));
        if (valueOf(update.webhookSecret) != null && !StripeKeys.isWebhookSecret(valueOf(update.webhookSecret))) {
            fields.add("webhookSecret", WEBHOOK_SECRET_MESSAGE);
        }
        String contact = valueOf(update.supportContact);
        if (contact != null && !SupportContacts.valid(contact)) {
            fields.add("supportContact", SupportContacts.MESSAGE);
        }
        fields.orThrow();

        // Outside any transaction: Stripe may take its time.
        Secret newKey = update.clientSecret == null ? null : update.clientSecret.map(Secret::of).orElse(null);
        PlatformKey newPlatform = newKey == null ? null : stripe.checkNewKey("clientSecret", newKey);
        String oldPlatform = update.clientSecret == null ? null : platformOfCurrentKey(partner);

        return QuarkusTransaction.requiringNew().call(() -> {
            ConnectorSettings settings = ConnectorSettings.ofForUpdate(partner);
            java.util.List<String> changed = new java.util.ArrayList<>();
            if (update.clientId != null && !java.util.Objects.equals(update.clientId.orElse(null), settings.clientId)) {
                changed.add("clientId");
            }
            if (update.clientSecret != null && !java.util.Objects.equals(newKey, settings.clientSecret)) {
                changed.add("clientSecret");
            }
            if (update.defaultScope != null && update.defaultScope.orElse(null) != settings.defaultScope) {
                changed.add("defaultScope");
            }
            if (update.accountType != null && update.accountType.orElse(null) != settings.accountType) {
                changed.add("accountType");
            }
            if (update.clientId != null) {
                String clientId = update.clientId.orElse(null);
                if (!java.util.Objects.equals(clientId, settings.clientId)) {
                    Installations.ConsoleDependents counts = installations.consoleDependents(partner, clientId, null, null, false);
                    long dependents = clientId == null ? counts.onClientId() : counts.onClientIdMadeElsewhere();
                    if (dependents > 0) {
                        throw SettingsInUse.of(dependents, clientId == null ? "clearing the console's client ID"
                                : "changing the console's client ID to " + clientId + " (another platform)");
                    }
                }
                settings.clientId = clientId;
            }
            if (update.clientSecret != null) {
                refuseStrandingKey(partner, settings, newKey, newPlatform, oldPlatform);
                settings.clientSecret = newKey;
                settings.platformAccountId = newPlatform == null ? null : newPlatform.accountId();
            }
            if ((update.clientId != null || update.clientSecret != null) && settings.clientSecret != null) {
                ClientPlatforms.refuseMismatch(settings.clientId, Source.CONSOLE, settings.platformAccountId, Source.CONSOLE,
                        ClientPlatforms.recorded(partner, settings.clientId));
            }
            if (update.defaultScope != null) {
                settings.defaultScope = update.defaultScope.orElse(null);
            }
            if (update.accountType != null) {
                settings.accountType = update.accountType.orElse(null);
            }
            boolean expirePrevious = Boolean.TRUE.equals(update.expirePreviousWebhookSecret);
            if ((update.webhookSecret != null || expirePrevious) && settings.partner().isDefault()) {
                // Its secrets are the operator's: rolled (and the old one dropped) in CONNECTOR_STRIPE_WEBHOOK_SECRETS.
                throw InvalidInput.of(update.webhookSecret != null ? "webhookSecret" : "expirePreviousWebhookSecret",
                        "is not for partner default: its endpoint is signed with CONNECTOR_STRIPE_WEBHOOK_SECRETS");
            }
            if (update.webhookSecret != null) {
                Secret webhookSecret = update.webhookSecret.map(Secret::of).orElse(null);
                if (!java.util.Objects.equals(webhookSecret, settings.webhookSigningSecret)) {
                    changed.add("webhookSecret");
                }
                Instant now = clock.now();
                settings.rollWebhookSecret(webhookSecret, now.plus(previousWebhookSecretValidity), now);
            }
            if (expirePrevious && settings.expirePreviousWebhookSecret() && !changed.contains("webhookSecret")) {
                changed.add("webhookSecret");
            }
            java.util.List<String> audited = new java.util.ArrayList<>(changed);
            if (update.supportContact != null) {
                // Not in the settings event: it changes no connection, only what the link's pages tell a person.
                String supportContact = update.supportContact.map(String::strip).orElse(null);
                if (!java.util.Objects.equals(supportContact, settings.supportContact)) {
                    audited.add("supportContact");
                }
                settings.supportContact = supportContact;
            }
            settings.updatedAt = clock.now();
            if (!audited.isEmpty()) {
                audit.record(partner, "connector.update", null, null, audited);
            }
            if (!changed.isEmpty()) {
                // Last: the event takes the outbox's lock, held until commit. One event for the console, not one per installation.
                events.record(partner, EventType.CONNECTOR_SETTINGS_CHANGED, null, null, Event.EventData.settings(changed, settings.clientId,
                        settings.clientSecret != null,
                        settings.clientSecret == null ? null : StripeKeys.modeOf(settings.clientSecret.reveal()).json(),
                        settings.effectiveScope().stripeValue(), settings.effectiveAccountType().json()));
            }
            return viewOf(settings);
        });
    }

    private void refuseStrandingKey(PartnerId partner, ConnectorSettings settings, Secret newKey, PlatformKey newPlatform, String oldPlatform) {
        if (newKey == null) {
            long dependents = installations.consoleDependents(partner, null, null, null, false).onSecretKey();
            if (dependents > 0) {
                throw SettingsInUse.of(dependents, "clearing the console's secret key");
            }
            return;
        }
        if (newKey.equals(settings.clientSecret)) {
            return;
        }
        String platform = newPlatform.accountId();
        // A connection made with a known platform account must stay with it; one made before the
        // platform was known is compared with the current key's platform.
        boolean unrecordedDiffers = platform != null && oldPlatform != null && !oldPlatform.equals(platform);
        Installations.ConsoleDependents counts = installations.consoleDependents(partner, null, newPlatform.mode() == StripeKeys.Mode.LIVE,
                platform, unrecordedDiffers);
        long otherMode = counts.onSecretKeyOtherMode();
        if (otherMode > 0) {
            throw SettingsInUse.of(otherMode, "a " + newPlatform.mode().json() + " secret key (the connections are in the other mode)");
        }
        if (platform == null) {
            // Connections made on a known platform, or every connection when the current key's platform is known.
            long known = oldPlatform != null ? counts.onSecretKey() : counts.onSecretKeyPlatformRecorded();
            if (known > 0) {
                throw SettingsInUse.of(known, SettingsInUse.KEY_WITHOUT_PLATFORM + ", while the connections were made on a known platform,");
            }
        } else {
            long otherPlatform = counts.onSecretKeyOtherPlatform();
            if (otherPlatform > 0) {
                throw SettingsInUse.of(otherPlatform, "a secret key of another platform (" + newPlatform.accountId() + ")");
            }
        }
    }

    /** The platform the stored console key belongs to: as recorded, or asked of Stripe when it was never recorded. */
    private String platformOfCurrentKey(PartnerId partner) {
        ConnectorSettings current = QuarkusTransaction.requiringNew().call(() -> ConnectorSettings.of(partner));
        if (current.platformAccountId != null || current.clientSecret == null) {
            return current.platformAccountId;
        }
        try {
            return stripe.platformKey(current.clientSecret).await().indefinitely().accountId();
        } catch (StripeFailure unknown) {
            // The old key no longer works (rolled, say): only the mode can be compared.
            return null;
        }
    }

    static final String WEBHOOK_SECRET_MESSAGE = "must be a webhook signing secret: 'whsec_' followed by letters and digits";

    private static String valueOf(Optional<String> field) {
        return field == null ? null : field.orElse(null);
    }
}
