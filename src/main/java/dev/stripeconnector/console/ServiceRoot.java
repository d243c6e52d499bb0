package dev.stripeconnector.console;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * The service's bare address, which people type into a browser: it leads to the console (which asks
 * to sign in first). Every other unknown path stays a problem+json 404.
 */
@Path("/")
public class ServiceRoot {

    private final ConsolePages pages;

    public ServiceRoot(ConsolePages pages) {
        this.pages = pages;
    }

    @GET
    @PermitAll
    public Response root() {
        return pages.seeOther("/console");
    }
}
