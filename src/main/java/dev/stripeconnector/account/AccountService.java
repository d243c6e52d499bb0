package dev.stripeconnector.account;

import dev.stripeconnector.audit.AuditTrail;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.connector.SettingsInUse;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.PlatformKey;
import dev.stripeconnector.stripe.StripeApiGateway;
import dev.stripeconnector.stripe.StripeKeys;
import dev.stripeconnector.webhook.WebhookConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Installs the connector for a partner's accounts and resolves what each installation effectively uses.
 * Every method names the partner; an account id is only ever looked up within it.
 */
@ApplicationScoped
public class AccountService {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    /** The longest search: the longest name. */
    public static final int MAX_SEARCH = AccountConnector.MAX_NAME;

    private final StripeApiGateway stripe;
    private final ServiceClock clock;
    private final InstallationEvents events;
    private final Installations installations;
    private final PublicOrigins origins;
    private final AuditTrail audit;
    private final Duration previousWebhookSecretValidity;

    public AccountService(StripeApiGateway stripe, ServiceClock clock, InstallationEvents events, Installations installations,
                          PublicOrigins origins, AuditTrail audit, WebhookConfig webhooks) {
        this.audit = audit;
        this.installations = installations;
        this.previousWebhookSecretValidity = webhooks.stripeWebhookPreviousSecretValidity();
        this.origins = origins;
        this.stripe = stripe;
        this.clock = clock;
        this.events = events;
    }

    /** The outcome of an install: the view, and whether this call created the installation. */
    public record Installed(AccountConnectorView view, boolean created) {
    }

    public record Page(List<AccountConnectorView> items,
                       @Schema(nullable = true, description = "the cursor of the next page; null on the last page") String nextCursor,
                       @Schema(nullable = true, description = "the cursor of the page before this one; null on the first page")
                       String previousCursor,
                       @Schema(description = "how many installations the filters keep, across all pages") long total) {
    }

    /**
     * Creates or updates {@code partner}'s installation of {@code accountId}. A new secret key is checked against
     * Stripe before anything is stored. The row is claimed with an insert that ignores a concurrent
     * twin, then locked, so simultaneous first installs on several replicas end in one
     * installation; a rejected update rolls the claim back.
     */
    public Installed install(PartnerId partner, String accountId, AccountConnectorUpdate update) {
        AccountConnectorUpdate body = update != null ? update : AccountConnectorUpdate.EMPTY;
        Fields fields = new Fields().text("name", value(body.name), AccountConnector.MAX_NAME);
        StripeKeys.checkClientId(fields, "clientId", value(body.clientId));
        StripeKeys.checkSecretKey(fields, "clientSecret", value(body.clientSecret));
        if (value(body.webhookSecret) != null && !StripeKeys.isWebhookSecret(value(body.webhookSecret))) {
            fields.add("webhookSecret", "must be a webhook signing secret: 'whsec_' followed by letters and digits");
        }
        fields.orThrow();

        // Outside any transaction: Stripe may take its time, and a rejected key must leave nothing behind.
        PlatformKey newKey = value(body.clientSecret) == null ? null : stripe.checkNewKey("clientSecret", Secret.of(value(body.clientSecret)));
        return QuarkusTransaction.requiringNew().call(() -> store(partner, accountId, body, newKey));
    }

    private Installed store(PartnerId partner, String accountId, AccountConnectorUpdate body, PlatformKey newKey) {
        Instant now = clock.now();
        int inserted = AccountConnector.getEntityManager().createNativeQuery("""
                insert into account_connector (id, partner_id, account_id, status, created_at, updated_at, version)
                values (:id, :partner, :accountId, 'PENDING', :now, :now, 0)
                on conflict (partner_id, account_id) do nothing
                """)
                .setParameter("id", UUID.randomUUID())
                .setParameter("partner", partner.value())
                .setParameter("accountId", accountId)
                .setParameter("now", now)
                .executeUpdate();
        AccountConnector installation = AccountConnector.findByAccountIdForUpdate(partner, accountId).orElseThrow();
        // Share-locked: a change of the partner's console waits until this one commits, so the checks below see the console it is made against.
        ConnectorSettings.lockForShare(partner);
        InstallationState before = installations.stateOf(installation);
        InstallationEvents.Before previous = events.before(installation);
        List<String> changed = new java.util.ArrayList<>();
        if (body.clientId != null && !Objects.equals(installation.clientId, body.clientId.orElse(null))) {
            changed.add("clientId");
        }
        if (body.clientSecret != null && !Objects.equals(installation.clientSecret, body.clientSecret.map(Secret::of).orElse(null))) {
            changed.add("clientSecret");
        }

        if (body.name != null) {
            installation.name = body.name.orElse(null);
        }
        if (body.clientId != null) {
            installation.clientId = body.clientId.orElse(null);
        }
        if (body.clientSecret != null) {
            installation.clientSecret = body.clientSecret.map(Secret::of).orElse(null);
            installation.platformAccountId = newKey == null ? null : newKey.accountId();
        }
        InstallationState after = installations.stateOf(installation);
        if (after.hasConnection()) {
            MissingCredentials.requireNone(after.missing());
            refuseStranding(before, after);
        }
        if (body.clientId != null || body.clientSecret != null) {
            // Before anyone goes to Stripe: a key the client ID's platform would not accept is refused here, not after the consent page.
            ClientPlatforms.refuseMismatch(after.clientId(), after.clientIdSource(), after.platformAccount(), after.clientSecretSource(),
                    ClientPlatforms.recorded(partner, after.clientId()));
        }
        if (body.webhookSecret != null && storeWebhookSecret(installation, body.webhookSecret, now.plus(previousWebhookSecretValidity), now)) {
            changed.add("webhookSecret");
        }
        if (Boolean.TRUE.equals(body.expirePreviousWebhookSecret) && expirePreviousWebhookSecret(installation, now)
                && !changed.contains("webhookSecret")) {
            changed.add("webhookSecret");
        }
        installation.updatedAt = now;
        // The name is no credential (the event leaves it out), but a change all the same.
        List<String> audited = new java.util.ArrayList<>(changed);
        if (body.name != null && !Objects.equals(before.name(), installation.name)) {
            audited.add("name");
        }
        if (inserted == 1) {
            audit.record(partner, "installation.create", accountId, null, audited);
        } else if (!audited.isEmpty()) {
            audit.record(partner, "installation.update", accountId, null, audited);
        }
        // Last: the event takes the outbox's lock, held until commit.
        if (inserted == 1) {
            events.created(installation);
        } else {
            events.credentialsChanged(installation, previous, changed);
        }
        return new Installed(view(installation), inserted == 1);
    }

    /** A connected installation keeps its platform and mode: a change that would move it is refused. */
    private static void refuseStranding(InstallationState before, InstallationState after) {
        if (after.connectedClientId() != null && !after.connectedClientId().equals(after.clientId())) {
            throw SettingsInUse.of(1, "changing the client ID of account '" + after.accountId() + "' from "
                    + after.connectedClientId() + " to " + after.clientId());
        }
        if (!Objects.equals(before.clientSecret(), after.clientSecret())) {
            boolean live = StripeKeys.modeOf(after.clientSecret().reveal()) == StripeKeys.Mode.LIVE;
            if (after.livemode() != null && live != after.livemode()) {
                throw SettingsInUse.of(1, "a " + (live ? "live" : "test") + " secret key for the " + (after.livemode() ? "live" : "test")
                        + " connection of account '" + after.accountId() + "'");
            }
            String was = before.connectionPlatformAccount();
            if (was != null && after.platformAccount() == null) {
                throw SettingsInUse.of(1, SettingsInUse.KEY_WITHOUT_PLATFORM + " for the connection of account '"
                        + after.accountId() + "', made on the platform " + was + ",");
            }
            if (was != null && after.platformAccount() != null && !was.equals(after.platformAccount())) {
                throw SettingsInUse.of(1, "a secret key of another platform (" + after.platformAccount() + ", not " + was
                        + ") for the connection of account '" + after.accountId() + "'");
            }
        }
    }

    /** Ends the validity of the account's own previous webhook secret at once; whether there was one. */
    private static boolean expirePreviousWebhookSecret(AccountConnector installation, Instant now) {
        if (installation.clientId == null) {
            throw InvalidInput.of("expirePreviousWebhookSecret", "applies only to an account with its own client ID: the console's"
                    + " platform is signed with the console's webhook secret");
        }
        return PlatformWebhook.forPlatformForUpdate(installation.partner(), installation.clientId)
                .map(webhook -> webhook.expirePrevious(now)).orElse(false);
    }

    /** Stores, rolls (the replaced one valid until {@code previousExpiresAt}) or clears the account's own webhook secret; whether that changed it. */
    private static boolean storeWebhookSecret(AccountConnector installation, Optional<String> secret, Instant previousExpiresAt, Instant now) {
        if (installation.clientId == null) {
            throw InvalidInput.of("webhookSecret", "applies only to an account with its own client ID: the console's platform"
                    + " is signed with CONNECTOR_STRIPE_WEBHOOK_SECRETS");
        }
        Optional<PlatformWebhook> existing = PlatformWebhook.forPlatformForUpdate(installation.partner(), installation.clientId);
        if (secret.isEmpty()) {
            existing.ifPresent(PlatformWebhook::delete);
            return existing.isPresent();
        }
        Secret value = Secret.of(secret.get());
        if (existing.isPresent()) {
            boolean differs = !value.equals(existing.get().signingSecret);
            existing.get().roll(value, previousExpiresAt, now);
            return differs;
        } else {
            PlatformWebhook webhook = new PlatformWebhook();
            webhook.partnerId = installation.partnerId;
            webhook.clientId = installation.clientId;
            webhook.signingSecret = value;
            webhook.updatedAt = now;
            webhook.persist();
            return true;
        }
    }

    /** {@code partner}'s installation of {@code accountId}: one statement, no transaction of its own ({@link Installations}). */
    public Optional<AccountConnectorView> view(PartnerId partner, String accountId) {
        return installations.state(partner, accountId).map(row -> view(partner, row));
    }

    /** The view of an installation inside the caller's transaction, with what it changed. */
    public AccountConnectorView view(AccountConnector installation) {
        return view(installation.partner(), installations.stateOf(installation));
    }

    /** The view of an installation already read from {@code installation_state}. */
    public AccountConnectorView view(PartnerId partner, InstallationState installation) {
        return AccountConnectorView.of(installation, origins.of(partner).url("/webhooks/stripe"));
    }

    public Page list(PartnerId partner, String status, String limit, String cursor) {
        return list(partner, status, limit, cursor, null);
    }

    /**
     * A page of {@code partner}'s installations and how many there are; {@code search}, when given, keeps those whose
     * account id, name or Stripe account id contains it, whatever the case. Two statements: the page and the count.
     */
    public Page list(PartnerId partner, String status, String limit, String cursor, String search) {
        Fields fields = new Fields().text("q", search, MAX_SEARCH);
        ConnectorStatus statusFilter = null;
        if (status != null && !status.isEmpty()) {
            statusFilter = ConnectorStatus.parse(status);
            if (statusFilter == null) {
                fields.add("status", "must be one of " + ConnectorStatus.names());
            }
        }
        int size = fields.limit("limit", limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        Cursor at = null;
        if (cursor != null && !cursor.isEmpty()) {
            at = decodeCursor(cursor);
            if (at == null) {
                fields.add("cursor", "is not a cursor this service returned");
            }
        }
        fields.orThrow();

        String term = search == null || search.isBlank() ? null : search.strip().toLowerCase(Locale.ROOT);
        boolean backwards = at != null && at.backwards();
        // One row more than asked tells whether another page follows (or, backwards, precedes) without reading it.
        List<InstallationState> rows = installations.page(partner, statusFilter, term, at == null ? null : at.accountId(), backwards, size + 1);
        boolean more = rows.size() > size;
        List<InstallationState> shown = !more ? rows : backwards ? rows.subList(1, rows.size()) : rows.subList(0, size);
        List<AccountConnectorView> items = shown.stream().map(row -> view(partner, row)).toList();
        // A forward page after a cursor has a page before it, a backward page one after it (where it came from).
        boolean hasNext = backwards ? at != null : more;
        boolean hasPrevious = backwards ? more : at != null;
        String next = hasNext && !items.isEmpty() ? encodeCursor(items.get(items.size() - 1).accountId()) : null;
        String previous = hasPrevious && !items.isEmpty() ? encodeCursor(BACKWARDS + items.get(0).accountId()) : null;
        return new Page(items, next, previous, installations.count(partner, statusFilter, term));
    }

    /** Where a page starts: after {@code accountId}, or, {@code backwards}, the page that ends before it. */
    record Cursor(String accountId, boolean backwards) {
    }

    static String encodeCursor(String accountId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(accountId.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a previous page's cursor: never the first character of an account id. */
    private static final String BACKWARDS = "<";

    static Cursor decodeCursor(String cursor) {
        if (cursor.length() > 200) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            boolean backwards = decoded.startsWith(BACKWARDS);
            String accountId = backwards ? decoded.substring(BACKWARDS.length()) : decoded;
            return AccountIds.valid(accountId) ? new Cursor(accountId, backwards) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String value(Optional<String> field) {
        return field == null ? null : field.orElse(null);
    }
}
