package floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** One typed REST client, so that the REST client extension has a client to build. */
@RegisterRestClient(configKey = "echo")
@Path("/echo")
public interface Echo {

    @GET
    String get();
}
