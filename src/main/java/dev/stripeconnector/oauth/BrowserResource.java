package dev.stripeconnector.oauth;

import jakarta.annotation.security.PermitAll;
import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.DatabaseFailures;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.common.DatabaseRetry;
import dev.stripeconnector.stripe.StripeConnectGateway;
import dev.stripeconnector.stripe.StripeFailure;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import dev.stripeconnector.account.AccountConnectorUpdate;
import dev.stripeconnector.account.AccountService;
import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.connector.PublicOrigin;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.observability.ConnectorMetrics;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.partner.PartnerStatus;
import dev.stripeconnector.partner.Partners;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import dev.stripeconnector.crypto.FlashCookies;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import java.util.Optional;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The browser side of the flow: setup links and Stripe's redirect back to the service. Each request
 * acts for the partner whose domain it arrived on (the browser guard lets no other {@code Host} in):
 * only that partner's links and states are looked at, so another partner's is answered as unknown and
 * left unused, and every address on a page is that domain's. A disabled partner's links and callbacks
 * get a page saying so, with nothing looked at or changed.
 */
@Path("/connector")
@Tag(name = "Browser flow")
@PermitAll
@APIResponse(responseCode = "421", description = "The Host is none of the service's public origins: a page for a browser, a problem otherwise",
        content = {@Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)),
                @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class))})
public class BrowserResource {

    private static final Logger LOG = Logger.getLogger(BrowserResource.class);
    /** The install form's answer as its redirect carries it to the link's page: the typed client ID and the problems, never a secret. */
    static final String FORM_FLASH = "connector-setup-form";
    private static final java.time.Duration FORM_FLASH_LIFETIME = java.time.Duration.ofMinutes(30);
    private static final String ERROR = "error.";
    private static final String PROBLEM = "problem";

    private final AuthorizationService authorizations;
    private final StripeConnectGateway stripe;
    private final ResultPages pages;
    private final AccountService accounts;
    private final PublicOrigins origins;
    private final CallbacksInFlight inFlight;
    private final CallbackStates states;
    private final Partners partners;
    private final ConnectorMetrics metrics;
    private final FlashCookies flashes;

    public BrowserResource(AuthorizationService authorizations, StripeConnectGateway stripe, ResultPages pages, AccountService accounts,
                           PublicOrigins origins, CallbacksInFlight inFlight, CallbackStates states, Partners partners,
                           ConnectorMetrics metrics, FlashCookies flashes) {
        this.flashes = flashes;
        this.metrics = metrics;
        this.partners = partners;
        this.inFlight = inFlight;
        this.states = states;
        this.accounts = accounts;
        this.origins = origins;
        this.authorizations = authorizations;
        this.stripe = stripe;
        this.pages = pages;
    }

    @GET
    @Path("/setup/{token}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A single-use install (setup) link: asks for missing values, if any, then redirects the person to Stripe",
            description = "For a person's browser; it cannot be tried from Swagger UI.")
    @APIResponse(responseCode = "200", description = "A page: the install form, asking for the values the console leaves to the account",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "302", description = "The first use: on to Stripe's authorize page",
            headers = @Header(name = "Location", description = "Stripe's authorize URL", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "A page: the partner whose domain this is is disabled; the link was not used",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "A page: the link is not valid (here: another partner's link is not valid either)",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", description = "A page: the client ID and secret key set up belong to two Stripe platforms; the link was not used",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "410", description = "A page: the link was already used or has expired", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "503", description = "A page: try the same link again in a minute", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    public Response setup(@PathParam("token") String token, @CookieParam(FORM_FLASH) String flash, @Context HttpServerRequest request) {
        PublicOrigin origin = origins.of(request);
        AuthorizationService.SetupLink link;
        try {
            if (disabled(origin.partner())) {
                return pages.partnerDisabled();
            }
            link = authorizations.useSetupLink(origin.partner(), token);
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                return pages.render(503, ResultPages.Tone.PROBLEM, "Try again", "We could not open your link just now",
                        "Our service is briefly unavailable. Your link was not used.", null,
                        "Please open the same link again in a minute.");
            }
            throw e;
        }
        // The form's last answer, when it redirected here: its problems and the typed client ID, shown again on reload and Back.
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        flashes.open(flash).forEach((key, value) -> {
            if (key.startsWith(ERROR)) {
                errors.put(key.substring(ERROR.length()), value);
            } else if (!PROBLEM.equals(key)) {
                values.put(key, value);
            }
        });
        return linkPage(origin, token, link, values, errors, flashes.open(flash).get(PROBLEM), 200);
    }

    /**
     * After a form error: 303 back to the link's page (a GET, so reloading it or going Back to it from
     * Stripe's page never posts again), which shows the problems and the typed client ID; the link is not
     * used. The secret key and webhook secret are never carried back.
     */
    private Response formAgain(PublicOrigin origin, String token, Map<String, String> values, Map<String, String> errors, String problem) {
        Map<String, String> flash = new LinkedHashMap<>(values);
        errors.forEach((field, message) -> flash.put(ERROR + field, message));
        if (problem != null) {
            flash.put(PROBLEM, problem);
        }
        return ResultPages.noStore(Response.seeOther(URI.create(setupPath(token)))
                .cookie(flashes.seal(FORM_FLASH, setupPath(token), origin.secure(), flash, FORM_FLASH_LIFETIME))).build();
    }

    private static String setupPath(String token) {
        return "/connector/setup/" + token;
    }

    /** The page a link leads to, its addresses on the origin the person opened it at. */
    private Response linkPage(PublicOrigin origin, String token, AuthorizationService.SetupLink link, Map<String, String> values,
                              Map<String, String> errors, String problem, int status) {
        return switch (link) {
            case AuthorizationService.SetupLink.Redirect redirect ->
                    ResultPages.noStore(Response.status(Response.Status.FOUND).location(URI.create(redirect.authorizeUrl()))).build();
            case AuthorizationService.SetupLink.AskForValues ask -> pages.installForm(status, setupPath(token), ask,
                    origin.redirectUri(), origin.url("/webhooks/stripe/") + (values.getOrDefault("clientId", "").isEmpty()
                            ? "{your client ID}" : values.get("clientId")), values, errors, problem);
            // Whom to ask: the team that sent the link makes a new one in one click; its contact, when it set one.
            case AuthorizationService.SetupLink.Gone gone -> gone.expired()
                    ? pages.render(410, ResultPages.Tone.PROBLEM, "Expired", "This link has expired",
                            "Connection links are valid for a limited time.", null,
                            "Ask the team that sent you this link for a new connection link.", gone.contact())
                    : pages.render(410, ResultPages.Tone.NOTICE, "Already used", "This link was already used",
                            "Each connection link works until you come back from Stripe through it. If you connected your Stripe"
                                    + " account, you are done.",
                            null, "Otherwise ask the team that sent you this link for a new connection link.", gone.contact());
            case AuthorizationService.SetupLink.PlatformsDiffer differ ->
                    pages.render(409, ResultPages.Tone.PROBLEM, "Not ready", "This connection cannot go on to Stripe yet",
                            "The Stripe client ID and secret key set up for this connection belong to two different Stripe platforms,"
                                    + " so Stripe would refuse the connection after you went through it. Your link was not used.", null,
                            "Ask the team that sent you this link to correct its Stripe setup, then open the same link again.",
                            differ.contact());
            case AuthorizationService.SetupLink.Unknown unknown ->
                    pages.render(404, ResultPages.Tone.PROBLEM, "Invalid link", "This link is not valid",
                            "Check that you copied the whole link, or ask for a new one.", null, null);
        };
    }

    /**
     * The install form's answer: the values the link asked for, checked as the API checks them (the
     * secret key against Stripe) and stored encrypted as the account's own; then on to Stripe. A
     * form posted from another site is refused.
     */
    @POST
    @Path("/setup/{token}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The install form: the values the link asked for, then on to Stripe")
    @APIResponse(responseCode = "303", description = "Stored: on to Stripe's authorize page. Or a problem (nothing stored, the link not"
            + " used): back to the link's page, which shows the form again with each problem next to its field",
            headers = @Header(name = "Location", description = "Stripe's authorize URL, or the link's page", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "A page: the form came from another site",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "A page: the link is not valid", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", description = "A page: the client ID and secret key set up belong to two Stripe platforms; the link was not used",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "410", description = "A page: the link was already used or has expired", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    public Response provideValues(@PathParam("token") String token, @FormParam("clientId") String clientId,
                                  @FormParam("clientSecret") String clientSecret, @FormParam("webhookSecret") String webhookSecret,
                                  @HeaderParam("Origin") String from, @HeaderParam("Referer") String referer,
                                  @Context HttpServerRequest request) {
        PublicOrigin origin = origins.of(request);
        if (!origin.sameOrigin(from, referer)) {
            return pages.render(403, ResultPages.Tone.PROBLEM, "Not accepted", "This form came from another site",
                    "For your safety, the values were not stored.", null, "Open your connection link again and fill in the form there.");
        }
        PartnerId partner = origin.partner();
        if (disabled(partner)) {
            return pages.partnerDisabled();
        }
        AuthorizationService.SetupLink link = authorizations.peek(partner, token);
        if (!(link instanceof AuthorizationService.SetupLink.AskForValues ask)) {
            return linkPage(origin, token, link instanceof AuthorizationService.SetupLink.Redirect ? authorizations.useSetupLink(partner, token)
                    : link, Map.of(), Map.of(), null, 200);
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("clientId", clientId == null ? "" : clientId.strip());
        AccountConnectorUpdate update = new AccountConnectorUpdate();
        Map<String, String> errors = new LinkedHashMap<>();
        if (ask.missing().contains("clientId")) {
            update.clientId = Optional.of(values.get("clientId"));
            if (values.get("clientId").isEmpty()) {
                errors.put("clientId", "Enter your platform's client ID (ca_…)");
            }
        }
        if (ask.missing().contains("clientSecret")) {
            update.clientSecret = Optional.ofNullable(clientSecret == null ? null : clientSecret.strip());
            if (clientSecret == null || clientSecret.isBlank()) {
                errors.put("clientSecret", "Enter your platform's secret key (sk_…)");
            }
        }
        if (ask.ownPlatform() && webhookSecret != null && !webhookSecret.isBlank()) {
            update.webhookSecret = Optional.of(webhookSecret.strip());
        }
        if (!errors.isEmpty()) {
            return formAgain(origin, token, values, errors, null);
        }
        try {
            accounts.install(origin.partner(), ask.accountId(), update);
        } catch (InvalidInput invalid) {
            invalid.errors().forEach(e -> errors.put(e.field(), dev.stripeconnector.common.Fields.sentence(e.field(), e.message())));
            return formAgain(origin, token, values, errors, null);
        } catch (StripeFailure failure) {
            return formAgain(origin, token, values, errors, "Stripe could not check the secret key just now; nothing was stored."
                    + " Please try again in a minute.");
        } catch (DomainException refused) {
            return formAgain(origin, token, values, errors, refused.getMessage());
        }
        AuthorizationService.SetupLink next = authorizations.useSetupLink(partner, token);
        if (next instanceof AuthorizationService.SetupLink.Redirect redirect) {
            // The form's earlier problems are solved: Back from Stripe shows the link's page without them.
            return ResultPages.noStore(Response.seeOther(URI.create(redirect.authorizeUrl()))
                    .cookie(flashes.clear(FORM_FLASH, setupPath(token), origin.secure()))).build();
        }
        return linkPage(origin, token, next, values, errors, null, 200);
    }

    /**
     * A HEAD (a link checker, a preview) must not use the link: the single-use setup link and the
     * callback's state are spent only by a real GET.
     */
    @HEAD
    @Path("/setup/{token}")
    @Operation(summary = "Answers a link checker without using the link")
    @APIResponse(responseCode = "200", description = "Nothing was used", content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response setupHead(@PathParam("token") String token) {
        return ResultPages.noStore(Response.ok().type(MediaType.TEXT_HTML_TYPE)).build();
    }

    @HEAD
    @Path("/callback")
    @Operation(summary = "Answers a link checker without spending the authorization")
    @APIResponse(responseCode = "200", description = "Nothing was used", content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response callbackHead() {
        return ResultPages.noStore(Response.ok().type(MediaType.TEXT_HTML_TYPE)).build();
    }

    /**
     * Stripe's redirect after the person approved or declined. Runs without blocking the event
     * loop: database work goes to worker threads, the code exchange uses the reactive client.
     */
    @GET
    @Path("/callback")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Stripe's OAuth redirect URI",
            description = "Stripe sends the person's browser here; the outcome is a page, or a 303 to the authorization's returnUrl.")
    @APIResponse(responseCode = "200", description = "A page: connected, or declined at Stripe", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "303", description = "Back to the returnUrl with status, accountId and error",
            headers = @Header(name = "Location", description = "The returnUrl with the outcome", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "A page: an invalid, expired or used request (here: another partner's is invalid too),"
            + " or Stripe refused the code", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "A page: the partner whose domain this is is disabled; the request was not used",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", description = "A page: the setup changed, or Stripe rejected the platform's key", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "502", description = "A page: Stripe could not be reached", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "503", description = "A page: try again (reload, or with a new link)", content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> callback(@QueryParam("code") String code,
                                  @QueryParam("state") String state,
                                  @QueryParam("error") String error,
                                  @QueryParam("error_description") String errorDescription,
                                  @Context HttpServerRequest request) {
        // A person who closes the tab, or a browser that gives up, must not cancel the work: once the
        // state is spent and the code sent, what Stripe grants has to be stored.
        return inFlight.run(complete(origins.of(request).partner(), code, state, error, errorDescription));
    }

    private Uni<Response> complete(PartnerId partner, String code, String state, String error, String errorDescription) {
        return blocking(() -> {
                    if (disabled(partner)) {
                        throw new CallbackFailure(CallbackOutcome.invalidState(CallbackOutcome.Kind.PARTNER_DISABLED));
                    }
                    return states.spend(partner, state);
                })
                .onFailure(DatabaseFailures::isUnavailable).transform(e -> new CallbackFailure(CallbackOutcome.invalidState(CallbackOutcome.Kind.TRY_AGAIN)))
                .flatMap(consumed -> {
                    if (error != null && !error.isEmpty()) {
                        // Stripe's own error: no token request, the installation is unchanged.
                        return Uni.createFrom().item(CallbackOutcome.failure(CallbackOutcome.Kind.DECLINED,
                                consumed, bounded(error, 64), bounded(errorDescription, 500)));
                    }
                    if (code == null || code.isEmpty()) {
                        return Uni.createFrom().item(CallbackOutcome.failure(CallbackOutcome.Kind.INCOMPLETE_CALLBACK,
                                consumed, "missing_code", null));
                    }
                    return stripe.exchangeCode(consumed.secretKey(), code)
                            // The code is spent: what Stripe granted is stored even through a short database outage.
                            .flatMap(tokens -> blocking(() -> DatabaseRetry.write(() -> authorizations.storeConnection(consumed, tokens))))
                            .onFailure(StripeFailure.class).recoverWithUni(e -> {
                                StripeFailure failure = (StripeFailure) e;
                                if (failure.kind() == StripeFailure.Kind.GRANT_REFUSED || failure.kind() == StripeFailure.Kind.PLATFORM_KEY_REJECTED) {
                                    return blocking(() -> authorizations.recordTokenError(consumed, failure))
                                            .onFailure(DatabaseFailures::isUnavailable).recoverWithItem(unrecorded -> CallbackOutcome.failure(
                                                    failure.kind() == StripeFailure.Kind.PLATFORM_KEY_REJECTED ? CallbackOutcome.Kind.PLATFORM_REJECTED
                                                            : CallbackOutcome.Kind.TOKEN_REFUSED, consumed, failure.code(), failure.stripeMessage()));
                                }
                                return Uni.createFrom().item(CallbackOutcome.failure(CallbackOutcome.Kind.STRIPE_UNAVAILABLE,
                                        consumed, "stripe_unavailable", null));
                            })
                            .onFailure(DatabaseFailures::isUnavailable).recoverWithItem(e -> {
                                LOG.errorf("Stripe granted the connection of account %s but the database stayed unreachable:"
                                        + " it was not stored", consumed.accountId());
                                return CallbackOutcome.failure(CallbackOutcome.Kind.NOT_SAVED, consumed, "not_saved", null);
                            });
                })
                .onFailure(CallbackFailure.class).recoverWithItem(e -> ((CallbackFailure) e).outcome())
                .invoke(outcome -> metrics.callback(partner, outcome.kind()))
                .map(this::respond)
                .onFailure().recoverWithItem(e -> {
                    LOG.error("The OAuth callback failed unexpectedly", e);
                    return pages.render(500, ResultPages.Tone.PROBLEM, "Error", "Something went wrong",
                            "The connection could not be completed because of an error on our side.", null,
                            "Please try again with a new connection link.");
                });
    }

    /**
     * Whether the partner is disabled (or was deleted a moment ago): read on every request, so a partner
     * disabled on any replica stops here at once. Partner default cannot be disabled: nothing is read.
     */
    private boolean disabled(PartnerId partner) {
        return !partner.isDefault() && partners.find(partner).map(row -> row.status() == PartnerStatus.DISABLED).orElse(true);
    }

    private static String bounded(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private Response respond(CallbackOutcome outcome) {
        if (outcome.returnUrl() != null && outcome.kind().mayRedirect()) {
            Map<String, String> params = new LinkedHashMap<>();
            if (outcome.kind() == CallbackOutcome.Kind.CONNECTED) {
                params.put("status", "connected");
                params.put("accountId", outcome.accountId());
            } else {
                params.put("status", "error");
                params.put("accountId", outcome.accountId());
                params.put("error", outcome.error());
            }
            return ResultPages.noStore(Response.seeOther(URI.create(ReturnUrls.withOutcome(outcome.returnUrl(), params)))).build();
        }
        return pages.outcome(outcome);
    }

    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
