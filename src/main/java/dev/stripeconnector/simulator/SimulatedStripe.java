package dev.stripeconnector.simulator;

import jakarta.annotation.security.PermitAll;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.oauth.ResultPages;
import dev.stripeconnector.stripe.StripeKeys;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A stand-in for Stripe for trying the whole journey locally ({@code ./mvnw quarkus:dev}): an
 * authorize page with Connect and Decline that sends the browser back to the connector's callback,
 * and token, deauthorize, account and customers endpoints that answer as Stripe documents them.
 *
 * <p>Built into dev and test builds only ({@link IfBuildProfile}): the packaged application never
 * contains it (a test against the packaged jar checks). Its state lives in this JVM's memory,
 * which is fine for a tool that one developer runs on one machine.
 */
@IfBuildProfile(anyOf = {"dev", "test"})
@Path("/simulated-stripe")
@PermitAll
public class SimulatedStripe {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** What an authorization code grants, until it is used. */
    private record Grant(String stripeUserId, boolean livemode, String scope, String businessName) {
    }

    /** A connection made through this stand-in. */
    private record Connection(String stripeUserId, boolean livemode, String scope, String businessName, String accessToken) {
    }

    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Connection> byRefreshToken = new ConcurrentHashMap<>();
    private final Map<String, Connection> byAccount = new ConcurrentHashMap<>();
    private final PublicOrigins origins;
    private final Template authorizePage;

    public SimulatedStripe(PublicOrigins origins) {
        this.origins = origins;
        this.authorizePage = ResultPages.template("templates/simulated-authorize.html");
    }

    // ---- connect.stripe.com ----

    @GET
    @Path("/oauth/authorize")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response authorize(@QueryParam("client_id") String clientId, @QueryParam("scope") String scope,
                              @QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state,
                              @QueryParam("stripe_user[business_name]") String businessName) {
        return page(clientId, scope, redirectUri, state, businessName);
    }

    @GET
    @Path("/express/oauth/authorize")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response authorizeExpress(@QueryParam("client_id") String clientId, @QueryParam("scope") String scope,
                                     @QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state,
                                     @QueryParam("stripe_user[business_name]") String businessName) {
        return page(clientId, scope, redirectUri, state, businessName);
    }

    /** Whether {@code redirectUri} is one a partner registered: a known origin's (the service's own or a partner's domain). */
    private boolean registered(String redirectUri) {
        if (redirectUri == null) {
            return false;
        }
        try {
            return origins.match(java.net.URI.create(redirectUri).getRawAuthority())
                    .filter(origin -> origin.redirectUri().equals(redirectUri)).isPresent();
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }

    private Response page(String clientId, String scope, String redirectUri, String state, String businessName) {
        if (!registered(redirectUri) || clientId == null || !StripeKeys.isClientId(clientId)) {
            return refuse("The redirect URI or client ID is not one this simulated platform knows");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("clientId", clientId);
        data.put("scope", scope == null ? "read_write" : scope);
        data.put("mode", clientId.contains("live") ? "live" : "test");
        data.put("redirectUri", redirectUri);
        data.put("state", state == null ? "" : state);
        data.put("businessName", businessName == null ? "Simulated Coffee Roasters" : businessName);
        data.put("connectAction", "/simulated-stripe/oauth/authorize/connect");
        data.put("declineAction", "/simulated-stripe/oauth/authorize/decline");
        return ResultPages.noStore(Response.ok(authorizePage.data(data).render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))).build();
    }

    @GET
    @Path("/oauth/authorize/connect")
    @Operation(hidden = true)
    public Response connect(@QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state,
                            @QueryParam("scope") String scope, @QueryParam("client_id") String clientId,
                            @QueryParam("business_name") String businessName) {
        if (!registered(redirectUri)) {
            return refuse("The redirect URI is not the connector's");
        }
        String code = "ac_" + random(24);
        String account = "acct_1Sim" + random(12);
        boolean live = clientId != null && clientId.contains("live");
        String name = businessName == null || businessName.isBlank() ? "Simulated Coffee Roasters" : businessName.strip();
        codes.put(code, new Grant(account, live, scope == null ? "read_write" : scope, name.length() > 100 ? name.substring(0, 100) : name));
        return redirect(redirectUri, Map.of("code", code, "scope", scope == null ? "read_write" : scope, "state", state == null ? "" : state));
    }

    @GET
    @Path("/oauth/authorize/decline")
    @Operation(hidden = true)
    public Response decline(@QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state) {
        if (!registered(redirectUri)) {
            return refuse("The redirect URI is not the connector's");
        }
        return redirect(redirectUri, Map.of("error", "access_denied", "error_description", "The user denied your request",
                "state", state == null ? "" : state));
    }

    @POST
    @Path("/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response token(@HeaderParam("Authorization") String authorization, @FormParam("grant_type") String grantType,
                          @FormParam("code") String code, @FormParam("refresh_token") String refreshToken) {
        if (!platformKey(authorization)) {
            return oauthError(401, "invalid_client", "No valid API key provided");
        }
        if ("authorization_code".equals(grantType)) {
            Grant grant = code == null ? null : codes.remove(code);
            if (grant == null) {
                return oauthError(400, "invalid_grant", "Authorization code does not exist: " + mask(code));
            }
            String accessToken = (grant.livemode() ? "sk_live_" : "sk_test_") + "Sim" + random(24);
            String refresh = "rt_Sim" + random(24);
            Connection connection = new Connection(grant.stripeUserId(), grant.livemode(), grant.scope(), grant.businessName(), accessToken);
            byRefreshToken.put(refresh, connection);
            byAccount.put(grant.stripeUserId(), connection);
            return tokens(connection, refresh);
        }
        if ("refresh_token".equals(grantType)) {
            Connection connection = refreshToken == null ? null : byRefreshToken.get(refreshToken);
            if (connection == null || !byAccount.containsKey(connection.stripeUserId())) {
                return oauthError(400, "invalid_grant", "Refresh token does not exist: " + mask(refreshToken));
            }
            Connection rolled = new Connection(connection.stripeUserId(), connection.livemode(), connection.scope(),
                    connection.businessName(), (connection.livemode() ? "sk_live_" : "sk_test_") + "Sim" + random(24));
            byRefreshToken.put(refreshToken, rolled);
            byAccount.put(rolled.stripeUserId(), rolled);
            return tokens(rolled, null);
        }
        return oauthError(400, "unsupported_grant_type", "Unsupported grant type");
    }

    @POST
    @Path("/oauth/deauthorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response deauthorize(@HeaderParam("Authorization") String authorization, @FormParam("client_id") String clientId,
                                @FormParam("stripe_user_id") String stripeUserId) {
        if (!platformKey(authorization)) {
            return oauthError(401, "invalid_client", "No valid API key provided");
        }
        if (stripeUserId == null || byAccount.remove(stripeUserId) == null) {
            return oauthError(400, "invalid_client", "This application is not connected to stripe account " + stripeUserId
                    + ", or that account does not exist.");
        }
        byRefreshToken.values().removeIf(c -> c.stripeUserId().equals(stripeUserId));
        return json(200, Map.of("stripe_user_id", stripeUserId));
    }

    // ---- api.stripe.com ----

    @GET
    @Path("/v1/account")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response account(@HeaderParam("Authorization") String authorization, @HeaderParam("Stripe-Account") String stripeAccount) {
        if (!platformKey(authorization)) {
            return apiError(401, null, "Invalid API Key provided");
        }
        if (stripeAccount == null) {
            return json(200, Map.of("id", platformAccount(authorization), "object", "account",
                    "business_profile", Map.of("name", "Simulated platform")));
        }
        Connection connection = byAccount.get(stripeAccount);
        if (connection == null) {
            return apiError(403, "account_invalid", "The provided key does not have access to account '" + stripeAccount
                    + "' (or that account does not exist). Application access may have been revoked.");
        }
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("id", connection.stripeUserId());
        account.put("object", "account");
        account.put("business_profile", Map.of("name", connection.businessName()));
        account.put("charges_enabled", true);
        account.put("payouts_enabled", true);
        account.put("country", "DE");
        account.put("email", "owner@simulated.example");
        account.put("type", "standard");
        return json(200, account);
    }

    @GET
    @Path("/v1/customers")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response customers(@HeaderParam("Authorization") String authorization, @HeaderParam("Stripe-Account") String stripeAccount) {
        if (!platformKey(authorization)) {
            return apiError(401, null, "Invalid API Key provided");
        }
        if (stripeAccount != null && !byAccount.containsKey(stripeAccount)) {
            return apiError(403, "account_invalid", "The provided key does not have access to account '" + stripeAccount + "'.");
        }
        return json(200, Map.of("object", "list", "url", "/v1/customers", "has_more", false, "data", List.of(
                Map.of("id", "cus_SimJenny01", "object", "customer", "email", "jenny.rosen@example.com", "name", "Jenny Rosen"))));
    }

    @POST
    @Path("/v1/customers")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response createCustomer(@HeaderParam("Authorization") String authorization, @FormParam("email") String email) {
        if (!platformKey(authorization)) {
            return apiError(401, null, "Invalid API Key provided");
        }
        return json(200, Map.of("id", "cus_Sim" + random(10), "object", "customer", "email", email == null ? "" : email,
                "created", Instant.now().getEpochSecond()));
    }

    // ---- helpers ----

    private static boolean platformKey(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") && StripeKeys.isSecretKey(authorization.substring(7).trim());
    }

    /** The same key always belongs to the same simulated platform. */
    private static String platformAccount(String authorization) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(authorization.getBytes(StandardCharsets.UTF_8));
            return "acct_1SimPlatform" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response tokens(Connection connection, String refreshToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", connection.accessToken());
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        body.put("token_type", "bearer");
        body.put("stripe_publishable_key", (connection.livemode() ? "pk_live_" : "pk_test_") + "Sim" + connection.stripeUserId().substring(5));
        body.put("stripe_user_id", connection.stripeUserId());
        body.put("scope", connection.scope());
        body.put("livemode", connection.livemode());
        return json(200, body);
    }

    private static Response oauthError(int status, String error, String description) {
        return json(status, Map.of("error", error, "error_description", description));
    }

    private static Response apiError(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", status == 401 ? "invalid_request_error" : "invalid_request_error");
        if (code != null) {
            error.put("code", code);
        }
        error.put("message", message);
        return json(status, Map.of("error", error));
    }

    private static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static Response redirect(String redirectUri, Map<String, String> params) {
        StringBuilder url = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? "&" : "?");
        params.forEach((name, value) -> url.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        url.setLength(url.length() - 1);
        return ResultPages.noStore(Response.seeOther(URI.create(url.toString()))).build();
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    private static String mask(String value) {
        return value == null || value.length() < 8 ? "****" : value.substring(0, 3) + "****" + value.substring(value.length() - 4);
    }

    /** A refusal of this stand-in: it only ever sends people back to the connector itself. */
    private static Response refuse(String message) {
        return ResultPages.noStore(Response.status(400).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .entity("Simulated Stripe: " + message)).build();
    }
}
