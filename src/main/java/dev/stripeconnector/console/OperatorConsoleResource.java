package dev.stripeconnector.console;

import dev.stripeconnector.account.ConnectorStatus;
import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.partner.NewPartner;
import dev.stripeconnector.partner.PartnerChange;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.partner.PartnerService;
import dev.stripeconnector.partner.PartnerView;
import dev.stripeconnector.security.ConsoleIdentityProviders;
import dev.stripeconnector.security.ConsolePrincipal;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The operators' console, on the service's own domain: the partners with their installations counted
 * by status, a new partner, a partner disabled or enabled again (through {@link PartnerService}, the
 * operators' API's own rules), and a partner's console opened read-only: opening it names the partner
 * in a cookie ({@link ConsoleIdentityProviders#VIEWED_PARTNER}) that only an operator's session heeds,
 * and every page of that partner's console then shows the partner's data with its forms disabled
 * ({@link ConsolePages}) and its posts refused ({@link OperatorReadOnly}).
 */
@Path(OperatorConsoleResource.PATH)
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.TEXT_HTML)
public class OperatorConsoleResource {

    static final String PATH = "/console/partners";
    /** A refused form's problems and typed values, as its redirect carries them to the partners' page. */
    static final String PARTNERS_FORM = "console-partners-form";
    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;

    private final PartnerService partners;
    private final InstallationCounts counts;
    private final PublicOrigins origins;
    private final ConsolePages pages;
    private final ConsoleCsrf csrf;
    private final SecurityIdentity identity;
    private final ConsoleForms forms;

    public OperatorConsoleResource(PartnerService partners, InstallationCounts counts, PublicOrigins origins, ConsolePages pages,
                                   ConsoleCsrf csrf, SecurityIdentity identity, ConsoleForms forms) {
        this.forms = forms;
        this.partners = partners;
        this.counts = counts;
        this.origins = origins;
        this.pages = pages;
        this.csrf = csrf;
        this.identity = identity;
    }

    /** The paths an operator's session may post to: the operators' own pages, and signing in and out. */
    static boolean operatorsMayPost(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/") || path.equals("/console/logout") || path.equals("/console/login");
    }

    /** Coming back to the list closes the partner's console that was open. */
    @GET
    public Response list(@QueryParam("cursor") String cursor, @QueryParam("done") String done, @QueryParam("partner") String partner,
                         @CookieParam(PARTNERS_FORM) String form) {
        ConsoleForms.Refused refused = forms.refused(form);
        if (refused.problem() != null) {
            return closeView(page(200, cursor, null, refused.problem(), refused.errors(), refused.kept()));
        }
        String flash = done == null || !PartnerId.valid(partner) ? null : switch (done) {
            case "created" -> "Partner " + partner + " was created. Give it its first API key and console user through the operators' API"
                    + " (see the documentation), and point its domain at the service.";
            case "disabled" -> "Partner " + partner + " is disabled: its keys, users, links and callbacks stopped working.";
            case "active" -> "Partner " + partner + " is active again.";
            default -> null;
        };
        return closeView(page(200, cursor, flash, null, Map.of(), Map.of()));
    }

    private Response page(int status, String cursor, String flash, String problem, Map<String, String> errors, Map<String, Object> kept) {
        Map<String, Object> data = new HashMap<>();
        List<Map<String, Object>> rows = List.of();
        String listProblem = null;
        try {
            PartnerService.Page page = partners.list(null, null, cursor);
            Map<PartnerId, Map<String, Long>> installations = counts.of(page.items().stream().map(p -> new PartnerId(p.id())).toList());
            rows = page.items().stream().map(p -> row(p, installations.getOrDefault(new PartnerId(p.id()), Map.of()))).toList();
            if (page.nextCursor() != null) {
                data.put("next", PATH + "?cursor=" + URLEncoder.encode(page.nextCursor(), StandardCharsets.UTF_8));
            }
        } catch (InvalidInput invalid) {
            listProblem = "Nothing to show: " + Fields.detail(invalid.errors());
            status = status == 200 ? 400 : status;
        }
        data.put("partners", rows);
        data.put("newId", "");
        data.put("newName", "");
        data.put("newDomain", "");
        data.putAll(kept);
        errors.forEach((field, message) -> data.put(field + "Error", message));
        data.put("flash", flash);
        data.put("problem", problem != null ? problem : listProblem);
        return pages.render(status, "partners", user(), data);
    }

    private static Map<String, Object> row(PartnerView partner, Map<String, Long> installations) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", partner.id());
        row.put("name", partner.name());
        row.put("domain", partner.serviceDomain());
        row.put("status", partner.status());
        row.put("active", "active".equals(partner.status()));
        // Partner default holds the configured keys: it cannot be disabled.
        row.put("fixed", PartnerId.DEFAULT.value().equals(partner.id()));
        row.put("installations", installations.isEmpty() ? "none" : Arrays.stream(ConnectorStatus.values())
                .filter(s -> installations.containsKey(s.json())).map(s -> s.json() + " " + installations.get(s.json()))
                .collect(Collectors.joining(" · ")));
        return row;
    }

    @POST
    @Consumes(FORM)
    public Response create(@FormParam(ConsoleCsrf.FIELD) String token, @FormParam("id") String id, @FormParam("name") String name,
                           @FormParam("serviceDomain") String serviceDomain, @Context HttpServerRequest request) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        NewPartner partner = new NewPartner();
        partner.id = id == null ? null : id.strip();
        partner.name = name;
        partner.serviceDomain = serviceDomain == null ? null : serviceDomain.strip();
        Map<String, Object> kept = Map.of("newId", partner.id == null ? "" : partner.id, "newName", name == null ? "" : name,
                "newDomain", partner.serviceDomain == null ? "" : partner.serviceDomain);
        try {
            partners.create(partner);
        } catch (InvalidInput invalid) {
            Map<String, String> errors = new LinkedHashMap<>();
            invalid.errors().forEach(e -> errors.put("id".equals(e.field()) ? "partnerId" : e.field(), Fields.sentence(e.field(), e.message())));
            return forms.again(PARTNERS_FORM, PATH, secure(request), errors, "Nothing was created: correct the fields marked below.", kept);
        } catch (DomainException refused) {
            return forms.again(PARTNERS_FORM, PATH, secure(request), Map.of(), refused.getMessage() + ". Nothing was created.", kept);
        }
        return forms.done(PARTNERS_FORM, PATH, secure(request), PATH + "?done=created&partner=" + partner.id);
    }

    /** Disables a partner (at once, on every replica) or makes it active again. */
    @POST
    @Path("/{partnerId}/status")
    @Consumes(FORM)
    public Response status(@PathParam("partnerId") String partnerId, @FormParam(ConsoleCsrf.FIELD) String token,
                           @FormParam("status") String status, @Context HttpServerRequest request) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        Optional<PartnerId> id = PartnerId.parse(partnerId);
        if (id.isEmpty()) {
            return notFound(partnerId);
        }
        PartnerChange change = new PartnerChange();
        change.status = Optional.ofNullable(status);
        try {
            partners.change(id.get(), change);
        } catch (InvalidInput invalid) {
            return forms.again(PARTNERS_FORM, PATH, secure(request), Map.of(), "Nothing was changed: " + Fields.detail(invalid.errors()), Map.of());
        } catch (DomainException refused) {
            return forms.again(PARTNERS_FORM, PATH, secure(request), Map.of(), refused.getMessage() + ". Nothing was changed.", Map.of());
        }
        return forms.done(PARTNERS_FORM, PATH, secure(request), PATH + "?done=" + status + "&partner=" + id.get());
    }

    /** Opens the partner's console, read-only: every console page shows the partner's data until the operator comes back here. */
    @POST
    @Path("/{partnerId}/open")
    @Consumes(FORM)
    public Response open(@PathParam("partnerId") String partnerId, @FormParam(ConsoleCsrf.FIELD) String token,
                         @Context HttpServerRequest request) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        Optional<PartnerId> id = PartnerId.parse(partnerId);
        if (id.isEmpty()) {
            return notFound(partnerId);
        }
        try {
            partners.get(id.get());
        } catch (DomainException missing) {
            return notFound(partnerId);
        }
        boolean secure = secure(request);
        return Response.fromResponse(pages.seeOther("/console/settings"))
                .header("Set-Cookie", ConsoleIdentityProviders.VIEWED_PARTNER + "=" + id.get() + "; Path=/console; HttpOnly; SameSite=Strict"
                        + (secure ? "; Secure" : ""))
                .build();
    }

    /** {@code answer}, ending any partner's console the operator had open. */
    static Response closeView(Response answer) {
        return Response.fromResponse(answer)
                .header("Set-Cookie", ConsoleIdentityProviders.VIEWED_PARTNER + "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict")
                .build();
    }

    private Response notFound(String partnerId) {
        return page(404, null, null, "There is no partner " + (PartnerId.valid(partnerId) ? partnerId : "with that id") + ".", Map.of(), Map.of());
    }

    private Response expiredForm() {
        return page(403, null, null, "This form has expired or did not come from the console: nothing was changed. Please try again.",
                Map.of(), Map.of());
    }

    /** Whether the console's cookies must be {@code Secure}: the operators' origin is https. */
    private boolean secure(HttpServerRequest request) {
        return origins.of(request).secure();
    }

    private String user() {
        return ConsolePrincipal.username(identity);
    }

}
