package dev.stripeconnector.startup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.account.AccountConnectorView;
import dev.stripeconnector.account.AccountService;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.connection.Credentials;
import dev.stripeconnector.oauth.AuthorizeResponse;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Builds the JSON serializers of the API's busiest answers as the service starts, before it is
 * ready. Jackson builds a type's serializer the first time it writes one, under a lock of the
 * mapper's cache, by reflection over the type's fields and annotations: after a start the first
 * callers of the installation list each waited for that (most of a second in all, with 16 at once
 * on 2 cores). The cache is the mapper's, so the REST layer's writer finds them built.
 */
@ApplicationScoped
public class AnswerSerializers {

    static final List<Class<?>> ANSWERS = List.of(AccountService.Page.class, AccountConnectorView.class, Credentials.class,
            AuthorizeResponse.class, Problem.class);

    void prepare(@Observes StartupEvent start, ObjectMapper json) {
        for (Class<?> answer : ANSWERS) {
            json.canSerialize(answer);
        }
    }
}
