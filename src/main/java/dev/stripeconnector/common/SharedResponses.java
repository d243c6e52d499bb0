package dev.stripeconnector.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The answers every {@code /api/**} operation can give whatever it does, added to each operation
 * that does not describe them in its own words. It runs when the application is built, so the document
 * the build writes is the one served (ApiDocumentOnDemand). Errors are {@link Problem}s.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SharedResponses implements OASFilter {

    static final Map<String, String> RESPONSES = Map.of(
            "401", "Missing or wrong API key, or one that was revoked or has expired",
            "403", "A key that may not do this: without the role the operation needs, an operator's key on a partner's route"
                    + " or a partner's on an operator's route (forbidden), or a disabled partner's key (partner-disabled)",
            "503", "The database cannot be reached; retry after Retry-After");

    @Override
    public void filterOpenAPI(OpenAPI document) {
        if (document.getPaths() == null || document.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : document.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/") || path.getValue().getOperations() == null) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                APIResponses responses = operation.getResponses();
                if (responses == null) {
                    continue;
                }
                // An operation with a default answer (the Stripe proxy passes Stripe's own back) keeps it for these statuses too.
                APIResponse otherwise = responses.getDefaultValue();
                RESPONSES.forEach((status, description) -> {
                    if (!responses.hasAPIResponse(status)) {
                        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("Problem")));
                        if (otherwise != null && otherwise.getContent() != null && otherwise.getContent().getMediaTypes() != null) {
                            otherwise.getContent().getMediaTypes().forEach(content::addMediaType);
                        }
                        responses.addAPIResponse(status, OASFactory.createAPIResponse()
                                .description(otherwise == null ? description : description + "; or what the default answer describes")
                                .content(content));
                    }
                });
            }
        }
    }
}
