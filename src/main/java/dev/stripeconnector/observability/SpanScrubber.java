package dev.stripeconnector.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place where what a span says of a URL loses its secrets, before any exporter sees the span: a query
 * keeps its parameters' names only (the callback's {@code code} and {@code state}, anything a caller or the proxy
 * sends), and a setup link's path its template ({@code /connector/setup/{token}}). Quarkus registers every
 * {@link SpanProcessor} bean; the HTTP instrumentation sets these attributes as a span starts, so they are rewritten
 * here before anything else reads them. Headers (the API keys, Stripe's keys), bodies (the token exchange's answer,
 * the credentials) and bound statement values are never recorded by the instrumentation in the first place;
 * observability/TracingTest reads every attribute of every span of a whole connection for the test's secrets.
 */
@ApplicationScoped
public class SpanScrubber implements SpanProcessor {

    /** Attributes holding a whole URL, or a path with its query (the current and the older semantic conventions). */
    private static final List<AttributeKey<String>> URLS = List.of(AttributeKey.stringKey("url.full"), AttributeKey.stringKey("http.url"),
            AttributeKey.stringKey("http.target"));
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
    /** A path segment that is itself a secret: the setup link's token. */
    private static final Pattern SECRET_SEGMENT = Pattern.compile("(/connector/setup/)[^/?#]+");

    @Override
    public void onStart(Context parent, ReadWriteSpan span) {
        for (AttributeKey<String> url : URLS) {
            String value = span.getAttribute(url);
            if (value != null) {
                span.setAttribute(url, scrubUrl(value));
            }
        }
        String path = span.getAttribute(PATH);
        if (path != null) {
            span.setAttribute(PATH, scrubPath(path));
        }
        String query = span.getAttribute(QUERY);
        if (query != null) {
            span.setAttribute(QUERY, parameterNames(query));
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    static String scrubUrl(String url) {
        int query = url.indexOf('?');
        int fragment = url.indexOf('#');
        int end = query >= 0 ? query : fragment >= 0 ? fragment : url.length();
        String scrubbed = scrubPath(url.substring(0, end));
        return query >= 0 ? scrubbed + "?" + parameterNames(url.substring(query + 1, fragment > query ? fragment : url.length())) : scrubbed;
    }

    static String scrubPath(String path) {
        return SECRET_SEGMENT.matcher(path).replaceAll("$1{token}");
    }

    /** {@code code=ac_1&state=xyz} → {@code code&state}: which parameters came, never their values. */
    static String parameterNames(String query) {
        StringBuilder names = new StringBuilder();
        for (String parameter : query.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            if (!names.isEmpty()) {
                names.append('&');
            }
            names.append(equals >= 0 ? parameter.substring(0, equals) : parameter);
        }
        return names.toString();
    }
}
