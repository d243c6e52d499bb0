package dev.stripeconnector.console;

import dev.stripeconnector.oauth.ResultPages;
import dev.stripeconnector.security.Callers;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What an operator's console session may do outside the operators' own pages ({@code /console/partners}),
 * signing in and out: read the console of the partner they opened. Every other form post is refused here,
 * before any resource sees it, whatever the page or the form claimed; a partner's page without a
 * partner opened leads to the partners' list.
 */
public class OperatorReadOnly {

    private final SecurityIdentity identity;
    private final ResultPages pages;

    public OperatorReadOnly(SecurityIdentity identity, ResultPages pages) {
        this.identity = identity;
        this.pages = pages;
    }

    @ServerRequestFilter
    public Optional<Response> onlyRead(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/console") || OperatorConsoleResource.operatorsMayPost(path) || identity.isAnonymous() || !Callers.operator(identity)) {
            return Optional.empty();
        }
        if (!HttpMethod.GET.equals(request.getMethod()) && !HttpMethod.HEAD.equals(request.getMethod())) {
            return Optional.of(pages.render(403, ResultPages.Tone.PROBLEM, "Read-only", "An operator cannot change a partner's console",
                    "Nothing was changed: an operator may look at a partner's console, not act for the partner.", null,
                    "The partner's own users make changes, on the partner's domain."));
        }
        if (!Callers.readOnly(identity)) {
            return Optional.of(ConsolePages.headers(Response.seeOther(java.net.URI.create(OperatorConsoleResource.PATH))).build());
        }
        return Optional.empty();
    }
}
