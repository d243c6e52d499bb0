package dev.stripeconnector.oauth;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.NamespaceResolver;
import io.quarkus.qute.Results;
import io.quarkus.qute.Template;
import io.quarkus.qute.ValueResolver;
import io.quarkus.qute.Variant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pages a person sees in the browser flow, rendered with Qute. Every value is HTML-escaped,
 * no page carries a secret, and none may be cached or leak its URL (which may hold a code) as
 * a referrer.
 */
@ApplicationScoped
public class ResultPages {

    private static final Engine ENGINE = Engine.builder().addDefaults()
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
            // {#include layout} and friends: templates/{id}.html from the classpath.
            .addLocator(id -> exists("templates/" + id + ".html")
                    ? java.util.Optional.of(new ClasspathTemplate("templates/" + id + ".html"))
                    : java.util.Optional.empty())
            // {max:accountId}: a field's maxlength, the limit the service checks (a name not listed fails the page).
            .addNamespaceResolver(NamespaceResolver.builder("max")
                    .resolve(context -> InputLimits.BY_FIELD.containsKey(context.getName())
                            ? InputLimits.BY_FIELD.get(context.getName()) : Results.NotFound.from(context))
                    .build())
            // {row.businessName.orDash}: a value, or a dash where there is none, so an empty cell reads as "nothing" and not as missing.
            .addValueResolver(ValueResolver.builder().applyToName("orDash")
                    .resolveSync(context -> context.getBase() == null || context.getBase().toString().isBlank() ? "—" : context.getBase())
                    .build())
            .build();

    // Parsed once, with the class: the bean's client proxy is made at start-up (BrowserGuard) and runs this
    // class's constructor too, so templates parsed per instance were parsed again by the first page a person saw.
    private static final Template PAGE = template("templates/page.html");
    private static final Template INSTALL = template("templates/install.html");

    /** The install journey's form: exactly the values the console leaves to the account. */
    public Response installForm(int status, String action, AuthorizationService.SetupLink.AskForValues ask, String redirectUri,
                                String webhookEndpoint, Map<String, String> values, Map<String, String> errors, String problem) {
        Map<String, Object> data = new HashMap<>();
        data.put("name", ask.displayName());
        data.put("action", action);
        data.put("askClientId", ask.missing().contains("clientId"));
        data.put("askClientSecret", ask.missing().contains("clientSecret"));
        data.put("ownPlatform", ask.ownPlatform());
        data.put("partnerClientId", ask.partnerClientId());
        data.put("redirectUri", redirectUri);
        data.put("webhookEndpoint", webhookEndpoint);
        data.put("clientId", values.getOrDefault("clientId", ""));
        data.put("clientIdError", errors.get("clientId"));
        data.put("clientSecretError", errors.get("clientSecret"));
        data.put("webhookSecretError", errors.get("webhookSecret"));
        data.put("problem", problem);
        // The form posts to the service itself: a browser sends its Origin (which the post is checked
        // against) only when the page's referrer policy allows it; no-referrer would make it "null".
        return noStore(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(INSTALL.data(data).render()))
                .header("Referrer-Policy", null).header("Referrer-Policy", "same-origin")
                .build();
    }

    /** An HTML template from the classpath, every value it renders HTML-escaped. */
    public static Template template(String resource) {
        return ENGINE.parse(load(resource), Variant.forContentType(Variant.TEXT_HTML));
    }

    private static boolean exists(String resource) {
        return ResultPages.class.getClassLoader().getResource(resource) != null;
    }

    /** A template the engine finds by id on the classpath. */
    private record ClasspathTemplate(String resource) implements io.quarkus.qute.TemplateLocator.TemplateLocation {
        @Override
        public java.io.Reader read() {
            return new java.io.StringReader(load(resource));
        }

        @Override
        public java.util.Optional<Variant> getVariant() {
            return java.util.Optional.of(Variant.forContentType(Variant.TEXT_HTML));
        }
    }

    private static String load(String resource) {
        try (InputStream in = ResultPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing template " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rendered page with the headers every browser page of the flow carries. */
    public Response render(int status, Tone tone, String badge, String title, String message, String detail, String next) {
        return render(status, tone, badge, title, message, detail, next, null);
    }

    /** The same, with whom to ask: the partner's support contact (null: none set), shown as a link to it. */
    public Response render(int status, Tone tone, String badge, String title, String message, String detail, String next, String contact) {
        Map<String, Object> data = new HashMap<>();
        data.put("contact", contact);
        data.put("contactHref", contact == null ? null : dev.stripeconnector.connector.SupportContacts.href(contact));
        data.put("tone", tone.name().toLowerCase(Locale.ROOT));
        data.put("badge", badge);
        data.put("title", title);
        data.put("message", message);
        data.put("detail", detail);
        data.put("next", next);
        return noStore(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(PAGE.data(data).render()))
                .build();
    }

    /** Headers for every response of the browser flow: never cached, never a referrer, never framed. */
    public static Response.ResponseBuilder noStore(Response.ResponseBuilder builder) {
        return builder
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'");
    }

    public enum Tone {
        SUCCESS, PROBLEM, NOTICE
    }

    public Response outcome(CallbackOutcome outcome) {
        String name = outcome.displayName();
        int status = outcome.kind().httpStatus;
        return switch (outcome.kind()) {
            case CONNECTED -> render(status, Tone.SUCCESS, "Connected", "Your Stripe account is connected",
                    "Stripe account " + outcome.stripeUserId() + " is now connected to " + name + ".",
                    null, "You can close this window.");
            case DECLINED -> render(status, Tone.NOTICE, "Not connected", "The connection was not made",
                    "access_denied".equals(outcome.error())
                            ? "You declined the connection at Stripe, so nothing was connected to " + name + "."
                            : "Stripe did not complete the connection to " + name + ".",
                    outcome.description() != null ? "Stripe says: " + outcome.description() : null,
                    "If this was a mistake, ask for a new connection link and try again.");
            case TOKEN_REFUSED -> render(status, Tone.PROBLEM, "Not connected", "Stripe refused the connection",
                    refusalMessage(outcome.error()),
                    outcome.description() != null ? "Stripe says: " + outcome.description() : "Stripe's error: " + outcome.error(),
                    "Ask for a new connection link and try again.");
            case PLATFORM_REJECTED -> render(status, Tone.PROBLEM, "Not connected", "The connection cannot be completed",
                    "Stripe did not accept the Stripe setup of " + name + ", so nothing was connected. This is not something you did wrong.",
                    outcome.description() != null ? "Stripe says: " + outcome.description() : null,
                    "Please tell the team that sent you this link; they need to check their Stripe settings.");
            case TRY_AGAIN -> render(status, Tone.PROBLEM, "Try again", "We could not complete the connection just now",
                    "Our service is briefly unavailable, so nothing was sent to Stripe and nothing was connected.", null,
                    "Please reload this page in a minute: your connection request is still valid.");
            case NOT_SAVED -> render(status, Tone.PROBLEM, "Try again", "Your connection could not be saved",
                    "Stripe approved the connection to " + name + ", but our service could not save it, so it is not connected.", null,
                    "Please try again in a few minutes with a new connection link.");
            case STRIPE_UNAVAILABLE -> render(status, Tone.PROBLEM, "Try again", "Stripe could not be reached",
                    "Stripe did not answer in time, so the connection to " + name + " was not completed. Nothing was changed.",
                    null, "Please try again in a few minutes with a new connection link.");
            case INCOMPLETE_CALLBACK -> render(status, Tone.PROBLEM, "Not connected", "Stripe's answer was incomplete",
                    "Stripe sent the browser back without a result, so nothing was connected.", null,
                    "Ask for a new connection link and try again.");
            case SETUP_INCOMPLETE -> render(status, Tone.PROBLEM, "Not connected", "The connection cannot be completed",
                    "The Stripe setup of " + name + " changed while you were at Stripe, so the connection was not stored.",
                    null, "Please tell the team that sent you this link.");
            case STATE_MISSING, STATE_UNKNOWN -> render(status, Tone.PROBLEM, "Invalid link", "This link is not valid",
                    "The page was opened without a valid connection request, so nothing was sent to Stripe.",
                    null, "Start again from the link you were given.");
            // Whom to ask, as a spent or expired link says: the team that sent the link, at its contact when it set one.
            case STATE_EXPIRED -> render(status, Tone.PROBLEM, "Expired", "This connection request has expired",
                    "Connection requests are valid for a limited time. Nothing was connected.",
                    null, "Ask the team that sent you the connection link for a new one and try again.", outcome.contact());
            case STATE_USED -> render(status, Tone.NOTICE, "Already used", "This connection request was already used",
                    "Each connection request can be completed only once. If you just connected, you are done.",
                    null, "Otherwise ask the team that sent you the connection link for a new one.", outcome.contact());
            case PARTNER_DISABLED -> partnerDisabled();
        };
    }

    /**
     * The page of every link and callback on the domain of a disabled partner: the service at this
     * address is switched off, and nothing was used, sent or changed.
     */
    public Response partnerDisabled() {
        return render(CallbackOutcome.Kind.PARTNER_DISABLED.httpStatus, Tone.PROBLEM, "Not available", "This service is switched off",
                "Connections to Stripe are not taken at this address at the moment, so nothing was sent to Stripe and nothing was changed."
                        + " Your link was not used.",
                null, "Please tell the team that sent you this link.");
    }

    private static String refusalMessage(String error) {
        return switch (error == null ? "" : error) {
            case "invalid_grant" -> "The authorization from Stripe was expired or already used, so nothing was connected.";
            case "invalid_scope" -> "The requested access is not allowed for this platform, so nothing was connected.";
            default -> "Stripe did not accept the authorization, so nothing was connected.";
        };
    }
}
