package dev.stripeconnector.security;

import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.ProblemMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /api/**} request by its {@code Authorization: Bearer <api key>}
 * before routing, so an unauthenticated caller learns nothing about which paths exist.
 */
public class ApiKeyFilter {

    /** Request property holding the name of the API key that authenticated the call. */
    public static final String KEY_NAME = "connector.api-key-name";
    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;

    public ApiKeyFilter(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(unauthorized("Send an API key as 'Authorization: Bearer <api key>'"));
        }
        Optional<String> keyName = apiKeys.authenticate(header.substring(BEARER.length()).trim());
        if (keyName.isEmpty()) {
            return Optional.of(unauthorized("The API key is not valid"));
        }
        request.setProperty(KEY_NAME, keyName.get());
        return Optional.empty();
    }

    private static Response unauthorized(String detail) {
        Response problem = ProblemMapper.response(Failure.UNAUTHORIZED, detail);
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"stripe-connector\"").build();
    }
}
