package floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** One resource that reads the entity and holds the client. */
@Path("/notes")
public class Notes {

    @RestClient
    Echo echo;

    @GET
    public List<Note> all() {
        return Note.listAll();
    }
}
