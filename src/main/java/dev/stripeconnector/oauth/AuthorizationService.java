package dev.stripeconnector.oauth;

import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.account.ClientPlatforms;
import dev.stripeconnector.account.ConnectorStatus;
import dev.stripeconnector.account.Grants;
import dev.stripeconnector.account.InstallationEvents;
import dev.stripeconnector.account.InstallationState;
import dev.stripeconnector.account.Installations;
import dev.stripeconnector.account.NotInstalled;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.observability.ConnectorMetrics;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import dev.stripeconnector.stripe.StripeFailure;
import dev.stripeconnector.stripe.TokenResponse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Authorization requests: creating links, using setup links, and the database side of the callback. */
@ApplicationScoped
public class AuthorizationService {

    private static final Logger LOG = Logger.getLogger(AuthorizationService.class);

    /** Stripe's prefill fields for the onboarding form ({@code stripe_user[…]}). */
    static final Set<String> STRIPE_USER_FIELDS = Set.of(
            "email", "url", "country", "phone_number", "business_name", "business_type", "first_name", "last_name",
            "dob_day", "dob_month", "dob_year", "street_address", "city", "state", "zip", "physical_product",
            "shipping_days", "product_category", "product_description", "average_payment", "past_year_volume",
            "currency", "gender");
    private static final Pattern CAPABILITY = Pattern.compile("[a-z0-9_]{1,64}");
    private static final int MAX_PREFILL_LENGTH = 500;
    private static final int MAX_CAPABILITIES = 20;

    private final OAuthConfig config;
    private final ReturnUrls returnUrls;
    private final PublicOrigins origins;
    private final ServiceClock clock;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final String connectUrl;
    private final InstallationEvents events;
    private final AuthorizationRequests requests;
    private final Installations installations;
    private final ConnectorMetrics metrics;
    private final Grants grants;

    public AuthorizationService(OAuthConfig config, ReturnUrls returnUrls, PublicOrigins origins, ServiceClock clock,
                                com.fasterxml.jackson.databind.ObjectMapper json,
                                @ConfigProperty(name = "quarkus.rest-client.stripe-connect.url") String connectUrl,
                                InstallationEvents events, AuthorizationRequests requests, Installations installations,
                                ConnectorMetrics metrics, Grants grants) {
        this.metrics = metrics;
        this.grants = grants;
        this.requests = requests;
        this.installations = installations;
        this.json = json;
        this.events = events;
        this.config = config;
        this.returnUrls = returnUrls;
        this.origins = origins;
        this.clock = clock;
        this.connectUrl = connectUrl.endsWith("/") ? connectUrl.substring(0, connectUrl.length() - 1) : connectUrl;
    }

    /**
     * Creates a single-use install (setup) link for {@code partner}'s installation of {@code accountId}, valid for
     * days, and, when the installation has its client ID and key, Stripe's authorize URL too (valid
     * for minutes). An installation that still needs credentials gets only the link: it asks the
     * account for what is missing, then goes on to Stripe. Two autocommit statements, no transaction
     * ({@link Installations#authorizeTarget}, {@link AuthorizationRequests}). The link and the redirect URI
     * are on the partner's origin: the person opens the link on the partner's domain, and Stripe sends them
     * back there.
     */
    public AuthorizeResponse create(PartnerId partner, String accountId, AuthorizeRequestBody requestBody) {
        AuthorizeRequestBody body = requestBody != null ? requestBody : AuthorizeRequestBody.EMPTY;
        Installations.AuthorizeTarget target = installations.authorizeTarget(partner, accountId);
        AccountType accountType = body.accountType() != null ? body.accountType() : target.consoleAccountType();
        validate(body, accountType);
        if (target.installationId() == null) {
            throw new NotInstalled(accountId);
        }
        if (target.complete()) {
            // From what was recorded when the key was saved and when the client ID last connected: no call to Stripe here.
            ClientPlatforms.refuseMismatch(target.clientId(), target.clientIdSource(), target.keyPlatform(), target.keySource(),
                    target.clientPlatform());
        }

        Instant now = clock.now();
        String setupToken = OpaqueTokens.newToken();
        String state = OpaqueTokens.stateFor(setupToken);

        AuthorizationRequest request = new AuthorizationRequest();
        request.id = UUID.randomUUID();
        request.partnerId = partner.value();
        request.accountConnectorId = target.installationId();
        request.stateHash = OpaqueTokens.hash(state);
        request.setupTokenHash = OpaqueTokens.hash(setupToken);
        request.options = options(body);
        request.returnUrl = body.returnUrl() == null ? null : ReturnUrls.normalized(body.returnUrl());
        request.setupExpiresAt = now.plus(config.installLinkTtl());
        request.createdAt = now;
        if (target.complete()) {
            request.authorizeBaseUrl = authorizeBaseUrl(partner, target.clientId(), target.consoleScope(), target.consoleAccountType(), body);
            request.expiresAt = now.plus(config.oauthStateTtl());
        } else {
            // No state works until the link has asked for the missing values and is used.
            request.expiresAt = now;
        }
        requests.insert(request, accountId);
        metrics.installLinkIssued(partner);

        String setupUrl = origins.of(partner).url("/connector/setup/" + setupToken);
        return target.complete()
                ? new AuthorizeResponse(request.authorizeUrl(state), request.expiresAt, setupUrl, request.setupExpiresAt, List.of())
                : new AuthorizeResponse(null, null, setupUrl, request.setupExpiresAt, target.missing());
    }

    private String options(AuthorizeRequestBody body) {
        try {
            return json.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Authorize options could not be written", e);
        }
    }

    private AuthorizeRequestBody options(AuthorizationRequest request) {
        if (request.options == null) {
            return AuthorizeRequestBody.EMPTY;
        }
        try {
            return json.readValue(request.options, AuthorizeRequestBody.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Stored authorize options could not be read", e);
        }
    }

    /** The authorize URL without its state: the request's scope and account type where it sets them, else the console's. */
    private String authorizeBaseUrl(PartnerId partner, String clientId, Scope consoleScope, AccountType consoleAccountType,
                                    AuthorizeRequestBody body) {
        return authorizeUrlFor(partner, clientId, body.scope() != null ? body.scope() : consoleScope,
                body.accountType() != null ? body.accountType() : consoleAccountType, body);
    }

    private void validate(AuthorizeRequestBody body, AccountType accountType) {
        Fields fields = new Fields();
        if (body.returnUrl() != null) {
            String problem = returnUrls.problemWith(body.returnUrl());
            if (problem != null) {
                fields.add("returnUrl", problem);
            }
        }
        if (body.stripeUser() != null) {
            body.stripeUser().forEach((key, value) -> {
                if (!STRIPE_USER_FIELDS.contains(key)) {
                    fields.add("stripeUser." + key, "is not one of Stripe's prefill fields");
                } else if (value == null || value.isBlank() || value.length() > MAX_PREFILL_LENGTH || value.indexOf('\u0000') >= 0) {
                    fields.add("stripeUser." + key, "must be a text of 1 to " + MAX_PREFILL_LENGTH + " characters");
                }
            });
        }
        List<String> capabilities = body.suggestedCapabilities();
        if (capabilities != null && !capabilities.isEmpty()) {
            if (accountType != AccountType.EXPRESS) {
                fields.add("suggestedCapabilities", "applies to Express accounts only (accountType express)");
            } else if (capabilities.size() > MAX_CAPABILITIES
                    || capabilities.stream().anyMatch(c -> c == null || !CAPABILITY.matcher(c).matches())) {
                fields.add("suggestedCapabilities", "must be at most " + MAX_CAPABILITIES
                        + " capability names of lower-case letters, digits and '_' (e.g. card_payments)");
            }
        }
        fields.orThrow();
    }

    private String authorizeUrlFor(PartnerId partner, String clientId, Scope scope, AccountType accountType, AuthorizeRequestBody body) {
        StringBuilder url = new StringBuilder(connectUrl)
                .append(accountType == AccountType.EXPRESS ? "/express/oauth/authorize" : "/oauth/authorize")
                .append("?response_type=code")
                .append("&client_id=").append(encode(clientId))
                .append("&scope=").append(scope.stripeValue())
                .append("&redirect_uri=").append(encode(origins.of(partner).redirectUri()));
        if (body.stripeLanding() != null) {
            url.append("&stripe_landing=").append(body.stripeLanding().stripeValue());
        }
        if (Boolean.TRUE.equals(body.alwaysPrompt())) {
            url.append("&always_prompt=true");
        }
        if (body.stripeUser() != null) {
            body.stripeUser().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    url.append("&").append(encode("stripe_user[" + e.getKey() + "]")).append("=").append(encode(e.getValue())));
        }
        if (accountType == AccountType.EXPRESS && body.suggestedCapabilities() != null) {
            body.suggestedCapabilities().forEach(c -> url.append("&").append(encode("suggested_capabilities[]")).append("=").append(c));
        }
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** What a setup (install) link leads to. */
    public sealed interface SetupLink {
        /** On to Stripe. */
        record Redirect(String authorizeUrl) implements SetupLink {
        }

        /**
         * The installation still lacks values: the link asks the person for them (and is not used yet);
         * {@code partnerClientId}: the console's client ID the asked key must belong to (null: the account brings its own).
         */
        record AskForValues(String accountId, String displayName, List<String> missing, boolean ownPlatform, String partnerClientId) implements SetupLink {
        }

        /** Spent or expired; {@code contact}: whom the person asks for a new link (the partner's support contact, null: not set). */
        record Gone(boolean expired, String contact) implements SetupLink {
        }

        record Unknown() implements SetupLink {
        }

        /**
         * The installation's client ID and key belong to two Stripe platforms ({@link ClientPlatforms}): Stripe would
         * refuse the connection after the person went through it, so the link stays unused until the partner fixes the
         * values; {@code contact} as for {@link Gone}.
         */
        record PlatformsDiffer(String contact) implements SetupLink {
        }
    }

    /** Looks at {@code partner}'s setup link without using it; another partner's token is unknown here. */
    @Transactional
    public SetupLink peek(PartnerId partner, String setupToken) {
        return open(partner, setupToken, false);
    }

    /**
     * Opens a setup link: when the installation has its values, starts the state's lifetime and redirects
     * to Stripe (the URL built now, with the current client ID), as often as the person comes back to the
     * link before Stripe sends them back with its state, which spends it ({@link CallbackStates}); a late
     * link, or one whose state came back, is gone. When values are missing, the link asks for them.
     * Only {@code partner}'s links are looked at: another partner's link, opened on this partner's
     * domain, is unknown here and left unused.
     */
    @Transactional
    public SetupLink useSetupLink(PartnerId partner, String setupToken) {
        return open(partner, setupToken, true);
    }

    private SetupLink open(PartnerId partner, String setupToken, boolean use) {
        if (!OpaqueTokens.plausible(setupToken)) {
            return new SetupLink.Unknown();
        }
        AuthorizationRequest request = AuthorizationRequest.findBySetupTokenHash(partner, OpaqueTokens.hash(setupToken)).orElse(null);
        if (request == null) {
            return new SetupLink.Unknown();
        }
        Instant now = clock.now();
        boolean spent = request.setupUsedAt != null || request.stateUsedAt != null;
        if (spent || !request.setupExpiresAt.isAfter(now)) {
            return new SetupLink.Gone(!spent, ConnectorSettings.of(partner).supportContact);
        }
        InstallationState installation = installations.state(partner, request.accountConnectorId).orElse(null);
        if (installation == null) {
            // Removed since the link was read: its requests went with it.
            return new SetupLink.Unknown();
        }
        if (!installation.missing().isEmpty()) {
            boolean ownPlatform = installation.clientId() == null || installation.clientIdSource() == Source.ACCOUNT;
            return new SetupLink.AskForValues(installation.accountId(), installation.displayName(), installation.missing(),
                    ownPlatform, ownPlatform ? null : installation.clientId());
        }
        if (!use) {
            return new SetupLink.Redirect(null);
        }
        ConnectorSettings console = ConnectorSettings.of(partner);
        if (ClientPlatforms.differ(installation.platformAccount(), ClientPlatforms.recorded(partner, installation.clientId()))) {
            return new SetupLink.PlatformsDiffer(console.supportContact);
        }
        String base = authorizeBaseUrl(partner, installation.clientId(), console.effectiveScope(), console.effectiveAccountType(), options(request));
        if (!AuthorizationRequest.startState(request.id, now, now.plus(config.oauthStateTtl()), base)) {
            return new SetupLink.Gone(false, ConnectorSettings.of(partner).supportContact);
        }
        metrics.installLinkUsed(partner);
        return new SetupLink.Redirect(base + "&state=" + OpaqueTokens.stateFor(setupToken));
    }

    /** The installation a setup link belongs to, when the link is still usable. */
    @Transactional
    public java.util.Optional<String> accountOf(PartnerId partner, String setupToken) {
        if (!OpaqueTokens.plausible(setupToken)) {
            return java.util.Optional.empty();
        }
        Instant now = clock.now();
        return AuthorizationRequest.findBySetupTokenHash(partner, OpaqueTokens.hash(setupToken))
                .filter(r -> r.setupUsedAt == null && r.stateUsedAt == null && r.setupExpiresAt.isAfter(now))
                .map(r -> AccountConnector.<AccountConnector>findById(r.accountConnectorId).accountId);
    }

    /**
     * A state that this callback consumed ({@link CallbackStates}): the exchange may go ahead, with these credentials
     * (the installation's now); {@code issuedClientId}: the client ID the authorize URL of the state was built with.
     */
    public record ConsumedState(PartnerId partner, UUID installationId, String accountId, String displayName, String returnUrl, Secret secretKey,
                                String clientId, String platformAccountId, String issuedClientId) {
        @Override
        public String toString() {
            return "ConsumedState[partner=" + partner + ", accountId=" + accountId + "]";
        }
    }

    /**
     * Stores the connection Stripe granted, with the client ID and platform it was made with
     * ({@link Grants}), and its event, in one transaction; re-authorizing replaces the installation's connection.
     * The console row is share-locked, so a console change either sees this connection or happens before it. The
     * log line is written once the transaction committed: it never tells of a connection that was not stored, and
     * the row lock and the pooled connection are not held while it is formatted.
     */
    public CallbackOutcome storeConnection(ConsumedState consumed, TokenResponse tokens) {
        // Stripe exchanged the code with this key: its platform is the client ID's, for every later check of the two. Only
        // when the person went to Stripe with the client ID the key was taken for: had the client ID changed meanwhile,
        // the key's platform would be recorded for a client ID that had no part in this exchange (and the right key for
        // it refused ever after), so nothing is learnt then.
        boolean learnPlatform = java.util.Objects.equals(consumed.issuedClientId(), consumed.clientId());
        Grants.Grant grant = new Grants.Grant(tokens.stripeUserId(), tokens.livemode(), tokens.scope(), tokens.publishableKey(),
                tokens.accessToken(), tokens.refreshToken(), consumed.clientId(), consumed.platformAccountId());
        Grants.Stored stored = QuarkusTransaction.requiringNew().call(() -> {
            Grants.Stored connection = grants.store(consumed.partner(), consumed.installationId(), grant, learnPlatform, clock.now());
            if (connection != null) {
                events.connected(consumed.partner(), consumed.installationId(), consumed.accountId(), connection, grant);
            }
            return connection;
        });
        if (stored == null) {
            // Uninstalled while the person was at Stripe: nothing to attach the tokens to.
            LOG.warnf("Authorization for account %s completed after the installation was removed", consumed.accountId());
            return CallbackOutcome.failure(CallbackOutcome.Kind.SETUP_INCOMPLETE, consumed, "not_installed", null);
        }
        LOG.infof("Account %s connected to Stripe account %s (livemode=%s)", consumed.accountId(), tokens.stripeUserId(), tokens.livemode());
        return CallbackOutcome.connected(consumed.accountId(), consumed.displayName(), consumed.returnUrl(), tokens.stripeUserId());
    }

    /**
     * Records Stripe's refusal of the code. A refused grant leaves a connected installation
     * connected (its old tokens still work) and puts any other in {@code error}; a rejected platform
     * key or client ID is recorded as what the partner must fix, without changing the status.
     */
    @Transactional
    public CallbackOutcome recordTokenError(ConsumedState consumed, StripeFailure error) {
        boolean platform = error.kind() == StripeFailure.Kind.PLATFORM_KEY_REJECTED;
        AccountConnector.findByIdForUpdate(consumed.partner(), consumed.installationId()).ifPresent(installation -> {
            InstallationEvents.Before before = events.before(installation);
            String description = platform
                    ? "Stripe did not accept the platform's secret key or client ID while connecting: fix the setup. Stripe said: "
                    + error.getMessage()
                    : error.stripeMessage();
            installation.recordError(platform ? "platform_key_rejected" : error.code(), description, clock.now());
            if (!platform && installation.status != ConnectorStatus.CONNECTED) {
                installation.status = ConnectorStatus.ERROR;
            }
            events.changed(before, installation);
        });
        LOG.infof("Stripe refused the authorization code of account %s: %s", consumed.accountId(), error.code());
        return CallbackOutcome.failure(platform ? CallbackOutcome.Kind.PLATFORM_REJECTED : CallbackOutcome.Kind.TOKEN_REFUSED,
                consumed, error.code(), error.stripeMessage());
    }
}
