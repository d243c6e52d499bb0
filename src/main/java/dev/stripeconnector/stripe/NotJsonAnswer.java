package dev.stripeconnector.stripe;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * A success (or any answer below 400) of Stripe's that is not JSON is nonsense, whatever its body.
 * Classified from the headers, before a body reader tries it: otherwise a {@code text/plain} body
 * meets the REST client's text reader, whose failure looks like a lost connection and was retried
 * as "no answer". Errors (400 and up) are the typed clients' own exception mappers' to classify.
 */
public final class NotJsonAnswer implements ResponseExceptionMapper<StripeFailure> {

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status < 400 && !json(headers.getFirst("Content-Type"));
    }

    @Override
    public StripeFailure toThrowable(Response response) {
        return StripeAnswers.nonsense("HTTP " + response.getStatus() + " with a body that is not the JSON Stripe documents");
    }

    private static boolean json(Object contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toString();
        int parameters = type.indexOf(';');
        type = (parameters < 0 ? type : type.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
