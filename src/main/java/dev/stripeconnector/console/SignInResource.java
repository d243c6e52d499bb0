package dev.stripeconnector.console;

import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;

/**
 * Signing in and out of the console. Quarkus' form authentication checks the posted user name and
 * password at {@code /console/j_security_check} and keeps the session in an encrypted cookie; this
 * resource renders the form and ends the session.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    private final ConsolePages pages;
    private final ConsoleCsrf csrf;
    private final SecurityIdentity identity;

    public SignInResource(ConsolePages pages, ConsoleCsrf csrf, SecurityIdentity identity) {
        this.pages = pages;
        this.csrf = csrf;
        this.identity = identity;
    }

    @GET
    @Path("/login")
    @PermitAll
    public Response signInForm(@QueryParam("error") String error, @QueryParam("signedOut") String signedOut) {
        Map<String, Object> data = new HashMap<>();
        data.put("error", error != null);
        data.put("signedOut", signedOut != null);
        return pages.render(error != null ? 401 : 200, "login", null, data);
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    public Response signOut(@FormParam(ConsoleCsrf.FIELD) String token, RoutingContext context) {
        if (!csrf.valid(identity.getPrincipal().getName(), token)) {
            return pages.seeOther("/console/settings");
        }
        FormAuthenticationMechanism.logout(context);
        return pages.seeOther("/console/login?signedOut=true");
    }
}
