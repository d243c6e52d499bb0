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
        connection upkeep, credentials and a Stripe API proxy. Every /api/** call needs `Authorization: Bearer <api key>`; \
        every error is application/problem+json (RFC 9457) whose `type` names the problem."""))
@SecurityScheme(securitySchemeName = ApiDocument.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key of CONNECTOR_API_KEYS (dev mode: dev-connector-api-key)")
public class ApiDocument extends Application {

    public static final String API_KEY = "apiKey";
    public static final String PROBLEM = "application/problem+json";
}
