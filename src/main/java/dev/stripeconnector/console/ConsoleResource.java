package dev.stripeconnector.console;

import dev.stripeconnector.account.AccountConnectorUpdate;
import dev.stripeconnector.account.AccountConnectorView;
import dev.stripeconnector.account.AccountService;
import dev.stripeconnector.account.ConnectorStatus;
import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.connection.ConnectionService;
import dev.stripeconnector.connection.CredentialRead;
import dev.stripeconnector.connection.DisconnectResult;
import dev.stripeconnector.connector.ConnectorService;
import dev.stripeconnector.connector.ConnectorSettingsUpdate;
import dev.stripeconnector.connector.ConnectorSettingsView;
import dev.stripeconnector.oauth.AuthorizationService;
import dev.stripeconnector.oauth.AuthorizeResponse;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.ConsolePrincipal;
import dev.stripeconnector.security.Roles;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import dev.stripeconnector.stripe.SecretKeyView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.stripeconnector.crypto.FlashCookies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import dev.stripeconnector.connector.PublicOrigins;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partner's console: settings, installations and one installation, as server-rendered pages
 * over the same services the API uses, so a page can do nothing the API would refuse. Every form
 * carries the user's token ({@link ConsoleCsrf}) and comes from the service's own origin
 * ({@link BrowserGuard}); a successful change answers 303 back to a page.
 */
@Path("/console")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    private static final int PAGE_SIZE = 50;
    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;
    /** The connection link just created, as the redirect after creating it carries it to the installation's page. */
    static final String LINK_FLASH = "console-link";
    /** How long the installation's page shows a link just created: enough to copy it, not all day on a shared screen. */
    private static final java.time.Duration LINK_FLASH_LIFETIME = java.time.Duration.ofMinutes(10);
    /** A refused form's problems and typed values (never a secret), as its redirect carries them to the form's page; one name per page. */
    static final String SETTINGS_FORM = "console-settings-form";
    static final String INSTALLATION_FORM = "console-installation-form";
    static final String REMOVE_FORM = "console-remove-form";
    static final String INSTALLATIONS_FORM = "console-installations-form";
    private static final String INSTALLATIONS = "/console/installations";

    private final ConnectorService connector;
    private final AccountService accounts;
    private final ConnectionService connections;
    private final AuthorizationService authorizations;
    private final ConsolePages pages;
    private final ConsoleCsrf csrf;
    private final SecurityIdentity identity;
    private final FlashCookies flashes;
    private final PublicOrigins origins;
    private final ConsoleForms forms;

    public ConsoleResource(ConnectorService connector, AccountService accounts, ConnectionService connections,
                           AuthorizationService authorizations, ConsolePages pages, ConsoleCsrf csrf, SecurityIdentity identity,
                           FlashCookies flashes, PublicOrigins origins, ConsoleForms forms) {
        this.flashes = flashes;
        this.forms = forms;
        this.origins = origins;
        this.connector = connector;
        this.accounts = accounts;
        this.connections = connections;
        this.authorizations = authorizations;
        this.pages = pages;
        this.csrf = csrf;
        this.identity = identity;
    }

    @GET
    public Response home() {
        return pages.seeOther("/console/settings");
    }

    // ---- settings ----

    @GET
    @Path("/settings")
    public Response settings(@QueryParam("saved") String saved, @CookieParam(SETTINGS_FORM) String form) {
        ConsoleForms.Refused refused = forms.refused(form);
        Map<String, Object> data = settingsData(connector.view(Callers.partnerOf(identity)), refused.errors());
        data.putAll(refused.kept());
        data.put("problem", refused.problem());
        data.put("saved", saved != null && refused.problem() == null);
        return render(200, "settings", data);
    }

    @POST
    @Path("/settings")
    @Consumes(FORM)
    public Response saveSettings(@FormParam(ConsoleCsrf.FIELD) String token, @FormParam("clientId") String clientId,
                                 @FormParam("clientSecret") String clientSecret, @FormParam("clearClientSecret") String clearClientSecret,
                                 @FormParam("defaultScope") String defaultScope, @FormParam("accountType") String accountType,
                                 @FormParam("supportContact") String supportContact) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        ConnectorSettingsUpdate update = new ConnectorSettingsUpdate();
        update.clientId = Optional.ofNullable(blankToNull(clientId));
        if ("true".equals(clearClientSecret)) {
            update.clientSecret = Optional.empty();
        } else if (blankToNull(clientSecret) != null) {
            update.clientSecret = Optional.of(clientSecret.strip());
        }
        Map<String, String> errors = new LinkedHashMap<>();
        update.defaultScope = Optional.ofNullable(parse(defaultScope, Scope::fromStripe, "defaultScope", errors));
        update.accountType = Optional.ofNullable(parse(accountType, AccountType::fromJson, "accountType", errors));
        update.supportContact = Optional.ofNullable(blankToNull(supportContact));
        Map<String, Object> kept = new HashMap<>();
        kept.put("supportContact", supportContact == null ? "" : supportContact.strip());
        kept.put("clientId", clientId == null ? "" : clientId.strip());
        kept.put("scope", defaultScope);
        kept.put("accountType", accountType);
        if (!errors.isEmpty()) {
            return settingsAgain(errors, null, kept);
        }
        try {
            connector.update(Callers.partnerOf(identity), update);
        } catch (InvalidInput invalid) {
            invalid.errors().forEach(e -> errors.put(e.field(), Fields.sentence(e.field(), e.message())));
            return settingsAgain(errors, null, kept);
        } catch (DomainException refused) {
            return settingsAgain(errors, refused.getMessage() + ". Nothing was saved.", kept);
        }
        return done(SETTINGS_FORM, "/console/settings", "?saved=true");
    }

    private Response settingsAgain(Map<String, String> errors, String problem, Map<String, Object> kept) {
        return formAgain(SETTINGS_FORM, "/console/settings", errors, problem != null ? problem
                : "Nothing was saved: correct the fields marked below.", kept);
    }

    private static Map<String, Object> settingsData(ConnectorSettingsView view, Map<String, String> errors) {
        Map<String, Object> data = new HashMap<>();
        data.put("redirectUri", view.redirectUri());
        data.put("webhookEndpoint", view.webhookEndpoint());
        data.put("serviceDomain", view.serviceDomain());
        data.put("clientId", view.clientId() == null ? "" : view.clientId());
        putSecret(data, "secret", view.clientSecret());
        data.put("scope", view.defaultScope().stripeValue());
        data.put("accountType", view.accountType().json());
        data.put("supportContact", view.supportContact() == null ? "" : view.supportContact());
        if (errors != null) {
            errors.forEach((field, message) -> data.put(field + "Error", message));
        }
        return data;
    }

    // ---- installations ----

    @GET
    @Path("/installations")
    public Response installations(@QueryParam("status") String status, @QueryParam("q") String search, @QueryParam("cursor") String cursor,
                                  @QueryParam("removed") String removed, @QueryParam("notified") boolean notified,
                                  @CookieParam(INSTALLATIONS_FORM) String form) {
        ConsoleForms.Refused refused = forms.refused(form);
        Map<String, Object> flash = new HashMap<>(refused.kept());
        if (removed != null && AccountIds.valid(removed) && refused.problem() == null) {
            flash.put("flash", "The installation of " + removed + " was removed" + (notified
                    ? "; its Stripe account was disconnected at Stripe." : "."));
        }
        return installationsPage(200, status, search, cursor, refused.errors(), refused.problem(), flash);
    }

    private Response installationsPage(int code, String status, String search, String cursor, Map<String, String> errors, String problem,
                                       Map<String, Object> kept) {
        Map<String, Object> data = new HashMap<>();
        String q = search == null ? "" : search.strip();
        String wanted = status == null ? "" : status;
        data.put("q", q);
        data.put("status", wanted);
        data.put("statuses", Arrays.stream(ConnectorStatus.values()).map(ConnectorStatus::json).toList());
        data.put("total", 0L);
        data.put("filter", filter(wanted, q));
        List<Map<String, Object>> rows = List.of();
        String listProblem = null;
        try {
            AccountService.Page page = accounts.list(Callers.partnerOf(identity), wanted, String.valueOf(PAGE_SIZE), cursor, q);
            rows = page.items().stream().map(ConsoleResource::row).toList();
            String here = "/console/installations?status=" + encode(wanted) + "&q=" + encode(q) + "&cursor=";
            if (page.nextCursor() != null) {
                data.put("next", here + encode(page.nextCursor()));
            }
            if (page.previousCursor() != null) {
                data.put("previous", here + encode(page.previousCursor()));
            }
            data.put("total", page.total());
        } catch (InvalidInput invalid) {
            listProblem = "Nothing to show: " + String.join("; ", invalid.errors().stream()
                    .map(e -> ("q".equals(e.field()) ? "the search" : e.field()) + " " + e.message()).toList());
            code = code == 200 ? 400 : code;
        }
        data.put("items", rows);
        data.put("newAccountId", "");
        data.put("newName", "");
        data.putAll(kept);
        errors.forEach((field, message) -> data.put(field + "Error", message));
        data.put("problem", problem != null ? problem : listProblem);
        return render(code, "installations", data);
    }

    /** The filter as the empty list names it ("status connected and “acme”"); empty when nothing is filtered. */
    private static String filter(String status, String q) {
        List<String> parts = new ArrayList<>();
        if (!status.isEmpty()) {
            parts.add("status " + status);
        }
        if (!q.isEmpty()) {
            parts.add("“" + q + "”");
        }
        return String.join(" and ", parts);
    }

    private static Map<String, Object> row(AccountConnectorView view) {
        Map<String, Object> row = new HashMap<>();
        row.put("accountId", view.accountId());
        row.put("name", view.name());
        row.put("status", view.status().json());
        AccountConnectorView.ConnectionView connection = view.connection();
        row.put("stripeUserId", connection == null ? "" : connection.stripeUserId());
        row.put("mode", connection == null || connection.livemode() == null ? "" : connection.livemode() ? "live" : "test");
        AccountConnectorView.AccountFacts facts = connection == null ? null : connection.account();
        row.put("businessName", facts == null || facts.businessName() == null ? "" : facts.businessName());
        row.put("lastVerified", facts == null || facts.verifiedAt() == null ? "" : ConsolePages.when(facts.verifiedAt()));
        row.put("lastError", view.lastError() == null ? "" : view.lastError().code() + " · " + ConsolePages.when(view.lastError().at()));
        return row;
    }

    @POST
    @Path("/installations")
    @Consumes(FORM)
    public Response install(@FormParam(ConsoleCsrf.FIELD) String token, @FormParam("accountId") String accountId,
                            @FormParam("name") String name) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        String id = accountId == null ? "" : accountId.strip();
        Map<String, Object> kept = Map.of("newAccountId", id, "newName", name == null ? "" : name);
        String correct = "Nothing was installed: correct the fields marked below.";
        if (!AccountIds.valid(id)) {
            return formAgain(INSTALLATIONS_FORM, INSTALLATIONS, Map.of("accountId", "The account id " + AccountIds.MESSAGE), correct, kept);
        }
        AccountConnectorUpdate update = new AccountConnectorUpdate();
        update.name = Optional.ofNullable(blankToNull(name));
        try {
            accounts.install(Callers.partnerOf(identity), id, update);
        } catch (InvalidInput invalid) {
            Map<String, String> errors = new LinkedHashMap<>();
            invalid.errors().forEach(e -> errors.put(e.field(), Fields.sentence(e.field(), e.message())));
            return formAgain(INSTALLATIONS_FORM, INSTALLATIONS, errors, correct, kept);
        } catch (DomainException refused) {
            return formAgain(INSTALLATIONS_FORM, INSTALLATIONS, Map.of(), refused.getMessage() + ". Nothing was installed.", kept);
        }
        return forms.done(INSTALLATIONS_FORM, INSTALLATIONS, secure(), installationPath(id) + "?done=installed");
    }

    // ---- one installation ----

    @GET
    @Path("/installations/{accountId}")
    public Response installation(@PathParam("accountId") String accountId, @QueryParam("done") String done,
                                 @CookieParam(LINK_FLASH) String linkFlash, @CookieParam(INSTALLATION_FORM) String form) {
        Map<String, String> created = flashes.open(linkFlash);
        // Only for the installation, and the user of the partner, it was created for: the link is a bearer token, and the
        // browser may be another user's after a sign-out, or an operator's viewing a partner with the same account id.
        Map<String, Object> link = accountId.equals(created.get("accountId")) && linkHolder().equals(created.get("holder"))
                ? Map.of("link", created.get("link"), "linkExpiresAt", created.get("expiresAt")) : Map.of();
        String flash = done == null ? null : switch (done) {
            case "linked" -> link.isEmpty() ? null : "A connection link was created.";
            case "installed" -> "The connector is installed for " + accountId + ". Create a connection link and send it to the account.";
            case "saved" -> "Saved.";
            case "verified" -> "Verified with Stripe.";
            case "refreshed" -> "The tokens were refreshed.";
            case "disconnected" -> "Disconnected at Stripe; the tokens were wiped. The account's own values are kept: create a connection"
                    + " link to connect it again.";
            case "disconnected-here" -> "Disconnected here only: Stripe did not confirm, so the Stripe account may still list the platform."
                    + " The tokens were wiped and the account's own values are kept: create a connection link to connect it again.";
            default -> null;
        };
        ConsoleForms.Refused refused = forms.refused(form);
        Map<String, Object> extra = new HashMap<>(link);
        extra.putAll(refused.kept());
        return installationPage(200, accountId, refused.problem() == null ? flash : null, refused.problem(), extra, refused.errors());
    }

    private Response installationPage(int code, String accountId, String flash, String problem, Map<String, Object> extra,
                                      Map<String, String> errors) {
        Optional<Detail> detail = AccountIds.valid(accountId) ? detail(accountId) : Optional.empty();
        if (detail.isEmpty()) {
            return notInstalled(accountId);
        }
        AccountConnectorView view = detail.get().view();
        Map<String, Object> data = new HashMap<>();
        data.put("accountId", view.accountId());
        data.put("name", view.name() == null ? "" : view.name());
        data.put("status", view.status().json());
        data.put("missing", view.missing() == null || view.missing().isEmpty() ? null
                : String.join(" and ", view.missing().stream().map(ConsoleResource::label).toList()));
        data.put("warnings", view.warnings());
        AccountConnectorView.ConnectionView connection = view.connection();
        data.put("stripeUserId", connection == null ? "" : connection.stripeUserId());
        data.put("livemode", connection != null && Boolean.TRUE.equals(connection.livemode()));
        data.put("scope", connection == null || connection.scope() == null ? "" : connection.scope());
        data.put("connectedAt", connection == null ? "" : ConsolePages.when(connection.connectedAt()));
        AccountConnectorView.AccountFacts facts = connection == null ? null : connection.account();
        data.put("businessName", facts == null || facts.businessName() == null ? "" : facts.businessName());
        data.put("lastVerified", facts == null || facts.verifiedAt() == null ? "" : ConsolePages.when(facts.verifiedAt()));
        data.put("lastError", view.lastError() == null ? ""
                : view.lastError().code() + (view.lastError().description() == null ? "" : ": " + view.lastError().description())
                + " (" + ConsolePages.when(view.lastError().at()) + ")");
        data.put("connected", view.status() == ConnectorStatus.CONNECTED);
        data.put("effectiveClientId", view.clientId().value() == null ? "not set" : view.clientId().value());
        data.put("clientIdSource", view.clientId().source() == null ? "" : "from the " + view.clientId().source().json());
        putSecret(data, "secret", view.clientSecret());
        data.put("secretSource", view.clientSecret().source() == null ? "" : "from the " + view.clientSecret().source().json());
        data.put("ownClientId", detail.get().ownClientId() == null ? "" : detail.get().ownClientId());
        data.put("ownSecret", detail.get().ownSecret());
        // Clearing the account's own key falls back to the console's: offered only when there is one to fall back to.
        data.put("consoleHasSecret", connector.view(Callers.partnerOf(identity)).clientSecret().set());
        data.put("ownWebhookEndpoint", view.ownPlatform() == null ? null : view.ownPlatform().webhookEndpoint());
        data.put("webhookSecretSet", view.ownPlatform() != null && view.ownPlatform().webhookSecretSet());
        data.put("reads", detail.get().reads());
        data.put("flash", flash);
        data.put("problem", problem);
        if (errors != null) {
            errors.forEach((field, message) -> data.put(field + "Error", message));
        }
        data.putAll(extra);
        return render(code, "installation", data);
    }

    /** What the page shows beyond the API's view: the account's own values and the recent credential reads. */
    private record Detail(AccountConnectorView view, String ownClientId, boolean ownSecret, List<Map<String, Object>> reads) {
    }

    private Optional<Detail> detail(String accountId) {
        return QuarkusTransaction.requiringNew().call(() -> dev.stripeconnector.account.AccountConnector.findByAccountId(Callers.partnerOf(identity), accountId)
                .map(installation -> new Detail(accounts.view(installation), installation.clientId, installation.clientSecret != null,
                        CredentialRead.recent(installation.partner(), accountId, 20).stream()
                                .map(read -> Map.<String, Object>of("at", ConsolePages.when(read.readAt), "key", read.apiKeyName))
                                .toList())));
    }

    @POST
    @Path("/installations/{accountId}")
    @Consumes(FORM)
    public Response saveOverrides(@PathParam("accountId") String accountId, @FormParam(ConsoleCsrf.FIELD) String token,
                                  @FormParam("name") String name, @FormParam("clientId") String clientId,
                                  @FormParam("clientSecret") String clientSecret, @FormParam("clearClientSecret") String clearClientSecret,
                                  @FormParam("webhookSecret") String webhookSecret,
                                  @FormParam("expirePreviousWebhookSecret") String expirePreviousWebhookSecret) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        if (!AccountIds.valid(accountId) || accounts.view(Callers.partnerOf(identity), accountId).isEmpty()) {
            return notInstalled(accountId);
        }
        AccountConnectorUpdate update = new AccountConnectorUpdate();
        update.name = Optional.ofNullable(blankToNull(name));
        update.clientId = Optional.ofNullable(blankToNull(clientId));
        if ("true".equals(clearClientSecret)) {
            update.clientSecret = Optional.empty();
        } else if (blankToNull(clientSecret) != null) {
            update.clientSecret = Optional.of(clientSecret.strip());
        }
        if (blankToNull(webhookSecret) != null) {
            update.webhookSecret = Optional.of(webhookSecret.strip());
        }
        update.expirePreviousWebhookSecret = "true".equals(expirePreviousWebhookSecret);
        Map<String, Object> kept = Map.of("name", name == null ? "" : name, "ownClientId", clientId == null ? "" : clientId.strip());
        try {
            accounts.install(Callers.partnerOf(identity), accountId, update);
        } catch (InvalidInput invalid) {
            Map<String, String> errors = new LinkedHashMap<>();
            invalid.errors().forEach(e -> errors.put(e.field(), Fields.sentence(e.field(), e.message())));
            return formAgain(INSTALLATION_FORM, installationPath(accountId), errors, "Nothing was saved: correct the fields marked below.", kept);
        } catch (DomainException refused) {
            return formAgain(INSTALLATION_FORM, installationPath(accountId), Map.of(), refused.getMessage() + ". Nothing was saved.", kept);
        }
        return done(INSTALLATION_FORM, installationPath(accountId), "?done=saved");
    }

    /** A new connection link, shown for a few minutes on the installation's page this post redirects to. */
    @POST
    @Path("/installations/{accountId}/link")
    @Consumes(FORM)
    public Response createLink(@PathParam("accountId") String accountId, @FormParam(ConsoleCsrf.FIELD) String token) {
        Optional<Response> guard = refused(accountId, token);
        if (guard.isPresent()) {
            return guard.get();
        }
        AuthorizeResponse link;
        try {
            link = authorizations.create(Callers.partnerOf(identity), accountId, null);
        } catch (dev.stripeconnector.account.NotInstalled missing) {
            return notInstalled(accountId);
        } catch (DomainException refused) {
            return formAgain(INSTALLATION_FORM, installationPath(accountId), Map.of(), refused.getMessage(), Map.of());
        }
        // 303 to the installation's page, which shows the link: reloading it or coming Back to it posts nothing and makes no
        // other link. The link (a bearer token for days) rides in a sealed cookie of that page, never in a URL a log keeps.
        return pages.seeOther(installationPath(accountId) + "?done=linked", flashes.clear(INSTALLATION_FORM, installationPath(accountId), secure()),
                flashes.seal(LINK_FLASH, installationPath(accountId), secure(),
                        Map.of("accountId", accountId, "holder", linkHolder(), "link", link.setupUrl(), "expiresAt", ConsolePages.when(link.expiresAt())),
                        LINK_FLASH_LIFETIME));
    }

    /** Whom a created link is shown to: the signed-in user, in the partner's console it was created in. */
    private String linkHolder() {
        return Callers.partnerOf(identity).value() + "/" + identity.getPrincipal().getName();
    }

    @POST
    @Path("/installations/{accountId}/verify")
    @Consumes(FORM)
    public Response verify(@PathParam("accountId") String accountId, @FormParam(ConsoleCsrf.FIELD) String token) {
        return action(accountId, token, () -> connections.verify(Callers.partnerOf(identity), accountId), "verified");
    }

    @POST
    @Path("/installations/{accountId}/refresh")
    @Consumes(FORM)
    public Response refresh(@PathParam("accountId") String accountId, @FormParam(ConsoleCsrf.FIELD) String token) {
        return action(accountId, token, () -> connections.refresh(Callers.partnerOf(identity), accountId), "refreshed");
    }

    private Response action(String accountId, String token, Runnable call, String done) {
        Optional<Response> guard = refused(accountId, token);
        if (guard.isPresent()) {
            return guard.get();
        }
        try {
            call.run();
        } catch (dev.stripeconnector.account.NotInstalled missing) {
            return notInstalled(accountId);
        } catch (DomainException refused) {
            return formAgain(INSTALLATION_FORM, installationPath(accountId), Map.of(), refused.getMessage(), Map.of());
        }
        return done(INSTALLATION_FORM, installationPath(accountId), "?done=" + done);
    }

    /** Disconnects and keeps the installation: no confirmation, a new link connects it again. */
    @POST
    @Path("/installations/{accountId}/disconnect")
    @Consumes(FORM)
    public Response disconnect(@PathParam("accountId") String accountId, @FormParam(ConsoleCsrf.FIELD) String token,
                               @FormParam("force") String force) {
        Optional<Response> guard = refused(accountId, token);
        if (guard.isPresent()) {
            return guard.get();
        }
        AccountConnectorView after;
        try {
            after = connections.disconnectKeeping(Callers.partnerOf(identity), accountId, "true".equals(force));
        } catch (dev.stripeconnector.account.NotInstalled missing) {
            return notInstalled(accountId);
        } catch (DomainException refused) {
            return formAgain(INSTALLATION_FORM, installationPath(accountId), Map.of(), refused.getMessage(), Map.of("offerForceDisconnect", "true"));
        }
        boolean here = after.lastError() != null && "disconnect_unconfirmed".equals(after.lastError().code());
        return done(INSTALLATION_FORM, installationPath(accountId), "?done=" + (here ? "disconnected-here" : "disconnected"));
    }

    /** The confirmation a removal needs: a page, so it works without JavaScript. */
    @GET
    @Path("/installations/{accountId}/remove")
    public Response confirmRemove(@PathParam("accountId") String accountId, @CookieParam(REMOVE_FORM) String form) {
        ConsoleForms.Refused refused = forms.refused(form);
        return removePage(200, accountId, refused.problem(), refused.problem() != null);
    }

    private Response removePage(int code, String accountId, String problem, boolean offerForce) {
        Optional<AccountConnectorView> view = AccountIds.valid(accountId) ? accounts.view(Callers.partnerOf(identity), accountId) : Optional.empty();
        if (view.isEmpty()) {
            return notInstalled(accountId);
        }
        Map<String, Object> data = new HashMap<>();
        data.put("accountId", accountId);
        data.put("stripeUserId", view.get().connection() == null || view.get().status() == ConnectorStatus.REVOKED ? ""
                : view.get().connection().stripeUserId());
        data.put("problem", problem);
        data.put("offerForce", offerForce);
        return render(code, "remove", data);
    }

    @POST
    @Path("/installations/{accountId}/remove")
    @Consumes(FORM)
    public Response remove(@PathParam("accountId") String accountId, @FormParam(ConsoleCsrf.FIELD) String token,
                           @FormParam("force") String force) {
        Optional<Response> guard = refused(accountId, token);
        if (guard.isPresent()) {
            return guard.get();
        }
        DisconnectResult result;
        try {
            result = connections.disconnect(Callers.partnerOf(identity), accountId, "true".equals(force));
        } catch (dev.stripeconnector.account.NotInstalled missing) {
            return notInstalled(accountId);
        } catch (DomainException refused) {
            return formAgain(REMOVE_FORM, installationPath(accountId) + "/remove", Map.of(), refused.getMessage(), Map.of());
        }
        return pages.seeOther("/console/installations?removed=" + encode(accountId) + "&notified=" + result.stripeNotified(),
                flashes.clear(REMOVE_FORM, installationPath(accountId) + "/remove", secure()));
    }

    // ---- shared ----

    /** A refused form: 303 back to its page ({@code path}), see {@link ConsoleForms}. */
    private Response formAgain(String cookie, String path, Map<String, String> errors, String problem, Map<String, Object> kept) {
        return forms.again(cookie, path, secure(), errors, problem, kept);
    }

    /** A form that succeeded: 303 to its page with {@code query}, the page's earlier problems gone. */
    private Response done(String cookie, String path, String query) {
        return forms.done(cookie, path, secure(), path + query);
    }

    /** Whether the console's cookies must be {@code Secure}: its origin is https. */
    private boolean secure() {
        return origins.of(Callers.partnerOf(identity)).secure();
    }

    private Response render(int status, String template, Map<String, Object> data) {
        return pages.render(status, template, user(), data);
    }

    private Response notInstalled(String accountId) {
        return installationsPage(404, null, null, null, Map.of(),
                "The connector is not installed for this account (it may have been removed).", Map.of());
    }

    /** A form whose token does not match: an old page from before a key change, or a forged post. */
    private Response expiredForm() {
        return installationsPage(403, null, null, null, Map.of(),
                "This form has expired or did not come from the console: nothing was changed. Please try again.", Map.of());
    }

    /** What every form of one installation passes first: the user's token, then an account id that can exist. */
    private Optional<Response> refused(String accountId, String token) {
        if (!csrf.valid(user(), token)) {
            return Optional.of(expiredForm());
        }
        return AccountIds.valid(accountId) ? Optional.empty() : Optional.of(notInstalled(accountId));
    }

    private String user() {
        return ConsolePrincipal.username(identity);
    }

    private static void putSecret(Map<String, Object> data, String prefix, SecretKeyView secret) {
        data.put(prefix + "Set", secret.set());
        data.put(prefix + "Last4", secret.last4() == null ? "" : secret.last4());
        data.put(prefix + "Mode", secret.mode() == null ? "" : secret.mode().json());
    }

    private static <T> T parse(String value, java.util.function.Function<String, T> parser, String field, Map<String, String> errors) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            errors.put(field, "Choose one of the listed values");
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String label(String field) {
        return switch (field) {
            case "clientId" -> "the Client ID";
            case "clientSecret" -> "the Client Secret";
            default -> field;
        };
    }

    private static String installationPath(String accountId) {
        return "/console/installations/" + encode(accountId);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
