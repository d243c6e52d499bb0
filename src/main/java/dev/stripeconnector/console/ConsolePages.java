package dev.stripeconnector.console;

import dev.stripeconnector.oauth.ResultPages;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.ConsolePrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's pages: qute-core templates that share the result pages' layout, every value
 * HTML-escaped, each page given the signed-in user's name and form token. Same headers as the
 * browser flow, except that the console's own script may run and forms may only post to the
 * service itself. An operator looking at a partner's console gets every page with its forms
 * disabled (the posts are refused anyway, {@link OperatorReadOnly}) and a line saying whose it is.
 */
@ApplicationScoped
public class ConsolePages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** What a page shows only sometimes: absent means not shown (Qute renders strictly, so each key must exist). */
    private static final java.util.List<String> OPTIONAL = java.util.List.of("problem", "flash", "saved", "next", "previous", "link", "linkExpiresAt",
            "missing", "error", "signedOut", "clientIdError", "clientSecretError", "accountIdError", "nameError", "webhookSecretError",
            "defaultScopeError", "accountTypeError", "ownWebhookEndpoint", "newSecret", "newSecretFor", "urlError", "eventTypesError",
            "stripeEventTypesError", "descriptionError", "partnerIdError", "serviceDomainError", "offerForceDisconnect",
            "supportContactError");
    /** The navigation's section of each page: named as the section's own page. */
    private static final Map<String, String> SECTIONS = Map.of("settings", "settings", "installations", "installations",
            "installation", "installations", "remove", "installations", "event-subscriptions", "event-subscriptions",
            "event-subscription-delete", "event-subscriptions", "partners", "partners", "audit", "audit");
    /** A form that posts, but signing out, which an operator viewing a partner's console still may. */
    private static final Pattern POSTING_FORM = Pattern.compile("<form\\b(?![^>]*action=\"/console/logout\")[^>]*method=\"post\"[^>]*>");

    private final Map<String, Template> templates = new ConcurrentHashMap<>();
    private final ConsoleCsrf csrf;
    private final SecurityIdentity identity;

    public ConsolePages(ConsoleCsrf csrf, SecurityIdentity identity) {
        this.csrf = csrf;
        this.identity = identity;
    }

    /**
     * A console page for the signed-in {@code user} (as {@code ConsolePrincipal.username} names it, qualified
     * by its partner: the form token is made of that, the page shows the name alone).
     */
    public Response render(int status, String template, String user, Map<String, Object> data) {
        Map<String, Object> all = new HashMap<>();
        OPTIONAL.forEach(key -> all.put(key, null));
        boolean operator = user != null && Callers.operator(identity);
        boolean readOnly = operator && Callers.readOnly(identity);
        all.put("operator", operator);
        all.put("viewing", readOnly ? Callers.partnerOf(identity).value() : null);
        // A partner's own users see whose console it is; partner default's console looks as it did before partners.
        PartnerId own = user == null || operator ? null : Callers.partnerOf(identity);
        all.put("partner", own == null || own.isDefault() ? null : own.value());
        // The navigation marks the page shown: "page" on a section's own page, "true" on a page inside it.
        String section = SECTIONS.getOrDefault(template, "");
        all.put("section", section);
        all.put("current", template.equals(section) ? "page" : "true");
        all.putAll(data);
        if (user != null) {
            all.put("user", ConsolePrincipal.shown(user));
            all.put("csrf", csrf.token(user));
        }
        String html = templates.computeIfAbsent(template, id -> ResultPages.template("templates/" + id + ".html")).data(all).render();
        return headers(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(readOnly ? disableForms(html) : html)).build();
    }

    /** Every form that posts, its fields and buttons disabled: one fieldset around its content (forms never nest). */
    static String disableForms(String html) {
        StringBuilder out = new StringBuilder(html.length() + 256);
        Matcher form = POSTING_FORM.matcher(html);
        int from = 0;
        while (form.find(from)) {
            int close = html.indexOf("</form>", form.end());
            if (close < 0) {
                break;
            }
            out.append(html, from, form.end()).append("<fieldset disabled class=\"read-only\">")
                    .append(html, form.end(), close).append("</fieldset>");
            from = close;
        }
        return out.append(html, from, html.length()).toString();
    }

    /** After a successful form post: back to a page with GET, so reloading it posts nothing again. */
    public Response seeOther(String location) {
        return headers(Response.seeOther(java.net.URI.create(location))).build();
    }

    /** The same, setting {@code cookies}: what the page redirected to shows of the post. */
    public Response seeOther(String location, jakarta.ws.rs.core.NewCookie... cookies) {
        return headers(Response.seeOther(java.net.URI.create(location)).cookie(cookies)).build();
    }

    static Response.ResponseBuilder headers(Response.ResponseBuilder builder) {
        return ResultPages.noStore(builder)
                // Forms post to the console itself, so the browser must send their Origin.
                .header("Referrer-Policy", null).header("Referrer-Policy", "same-origin")
                .header("Content-Security-Policy", null).header("Content-Security-Policy", POLICY);
    }

    /** A time as the console shows it; empty when unknown. */
    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }
}
