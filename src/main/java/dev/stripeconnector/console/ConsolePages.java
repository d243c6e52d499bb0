package dev.stripeconnector.console;

import dev.stripeconnector.oauth.ResultPages;
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

/**
 * The console's pages: qute-core templates that share the result pages' layout, every value
 * HTML-escaped, each page given the signed-in user's name and form token. Same headers as the
 * browser flow, except that the console's own script may run and forms may only post to the
 * service itself.
 */
@ApplicationScoped
public class ConsolePages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** What a page shows only sometimes: absent means not shown (Qute renders strictly, so each key must exist). */
    private static final java.util.List<String> OPTIONAL = java.util.List.of("problem", "flash", "saved", "next", "link", "linkExpiresAt",
            "missing", "error", "signedOut", "clientIdError", "clientSecretError", "accountIdError", "nameError", "webhookSecretError",
            "defaultScopeError", "accountTypeError", "ownWebhookEndpoint", "newSecret", "newSecretFor", "urlError", "eventTypesError",
            "descriptionError");

    private final Map<String, Template> templates = new ConcurrentHashMap<>();
    private final ConsoleCsrf csrf;

    public ConsolePages(ConsoleCsrf csrf) {
        this.csrf = csrf;
    }

    /** A console page for the signed-in {@code user}. */
    public Response render(int status, String template, String user, Map<String, Object> data) {
        Map<String, Object> all = new HashMap<>();
        OPTIONAL.forEach(key -> all.put(key, null));
        all.putAll(data);
        if (user != null) {
            all.put("user", user);
            all.put("csrf", csrf.token(user));
        }
        String html = templates.computeIfAbsent(template, id -> ResultPages.template("templates/" + id + ".html")).data(all).render();
        return headers(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)).build();
    }

    /** After a successful form post: back to a page with GET, so reloading it posts nothing again. */
    public Response seeOther(String location) {
        return headers(Response.seeOther(java.net.URI.create(location))).build();
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
