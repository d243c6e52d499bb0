package dev.stripeconnector.common;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Answers a request whose method is not one of HTTP's standard methods before anything else reads,
 * authenticates or routes it: {@code 405} problem, with {@code Allow} naming what the path's route answers
 * (empty on a path of no route: nothing there answers that method or any other). HTTP lets a client send any
 * token as a method; none of them means anything to this service, and none may cost it more than this answer.
 * Not {@code 501}: a made-up method is the client's mistake, and a status anyone can provoke at will must not
 * count as the service's own failure where 5xx answers are watched.
 */
@ApplicationScoped
public class UnknownMethods {

    /** RFC 9110's methods: every other one is unknown to the service (and to its metrics, which show it as OTHER). */
    public static final Set<String> STANDARD = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    /** Before HttpGuards, which may read a body, and before every route of Quarkus' own. */
    private static final int ORDER = -10_100;

    private final AllowedMethods allowedMethods;

    public UnknownMethods(AllowedMethods allowedMethods) {
        this.allowedMethods = allowedMethods;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::refuseUnknown);
    }

    private void refuseUnknown(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (STANDARD.contains(request.method().name())) {
            ctx.next();
            return;
        }
        String allow = HttpGuards.validUri(request.uri()) ? allowedMethods.allowFor(ctx.normalizedPath()) : null;
        String detail = allow != null
                ? "This resource does not support the request's method; it answers " + allow
                : "The service answers only HTTP's standard methods, and has no resource at this path";
        ctx.response().putHeader(HttpHeaders.ALLOW, allow != null ? allow : "");
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if ((length != null && !length.trim().equals("0")) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            // A body the service will not read: the connection cannot carry another request after it.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ProblemMapper.write(ctx, ProblemMapper.problem(Failure.METHOD_NOT_ALLOWED, detail, null));
    }
}
