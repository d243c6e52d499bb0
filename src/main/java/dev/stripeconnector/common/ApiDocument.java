package dev.stripeconnector.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The OpenAPI document's own parts: what the service is, and the bearer API key every
 * {@code /api/**} operation needs (Swagger UI's "Authorize" button). Each operation lists every
 * status it can answer; errors are {@code application/problem+json} ({@link Problem}).
 */
@OpenAPIDefinition(info = @Info(title = "Stripe (OAuth) connector", version = "1", description = """
        The Stripe connector of an integration platform: console setup, installations, Stripe Connect OAuth, \
        connection upkeep, credentials and a Stripe API proxy, for each partner of the platform. Every /api/** call needs \
        `Authorization: Bearer <api key>`: a partner's key for its own routes, an operator's key for /api/v1/partners; \
        every error is application/problem+json (RFC 9457) whose `type` names the problem."""))
@SecurityScheme(securitySchemeName = ApiDocument.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A partner's API key: one an operator issued to the partner (sck_…), or for partner default one of"
                + " CONNECTOR_API_KEYS (dev mode: dev-connector-api-key)")
@SecurityScheme(securitySchemeName = ApiDocument.OPERATOR_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An operator's key of CONNECTOR_OPERATOR_KEYS (dev mode: dev-connector-operator-key): partners, their keys,"
                + " maintenance; never a partner's data")
public class ApiDocument extends Application {

    /** The partners' keys: every /api route but the operators'. */
    public static final String API_KEY = "apiKey";
    /** The operators' keys: /api/v1/partners/** and /api/v1/maintenance/**. */
    public static final String OPERATOR_KEY = "operatorKey";
    public static final String PROBLEM = "application/problem+json";
}
