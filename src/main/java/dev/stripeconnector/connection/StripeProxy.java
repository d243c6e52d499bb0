package dev.stripeconnector.connection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Forwards a request to Stripe's API for a connected account, injecting the platform's secret
 * key and {@code Stripe-Account}. It talks to one fixed base URL (the configured Stripe API),
 * builds the path itself from a validated {@code /v1/...} path and follows no redirect, so a
 * caller cannot make it reach anything else. Response bodies stream back as they arrive;
 * request bodies are small (the API's 64 KiB limit) and are kept so a safe request can be
 * sent again.
 *
 * <p>Retries: GETs, and POSTs with an {@code Idempotency-Key}, are retried on 429 and 5xx (or
 * whenever Stripe says {@code Stripe-Should-Retry: true}; never when it says {@code false}),
 * with exponential backoff and full jitter, at most {@value #MAX_ATTEMPTS} attempts. Other
 * requests are sent once. Blocking: callers run it on worker threads.
 */
@ApplicationScoped
public class StripeProxy {

    private static final Logger LOG = Logger.getLogger(StripeProxy.class);

    /** Path segments of Stripe's API: ids and names of letters, digits, '_' and '-'. */
    static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*/?");
    static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Content-Type", "Idempotency-Key", "Stripe-Version", "Accept-Language");
    static final List<String> RETURNED_RESPONSE_HEADERS = List.of(
            "Content-Type", "Request-Id", "Stripe-Should-Retry", "Retry-After", "Idempotent-Replayed", "Stripe-Version");
    static final int MAX_ATTEMPTS = 3;
    static final Duration BASE_DELAY = Duration.ofMillis(250);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final HttpClient client;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Duration readTimeout;

    public StripeProxy(ObjectMapper json,
                       @ConfigProperty(name = "quarkus.rest-client.stripe-api.url") String apiUrl,
                       @ConfigProperty(name = "quarkus.rest-client.stripe-api.read-timeout", defaultValue = "80000") long readTimeoutMillis) {
        this.json = json;
        this.baseUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.readTimeout = Duration.ofMillis(readTimeoutMillis);
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(baseUrl.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** An answer to stream back to the caller: Stripe's, or a problem when Stripe gave none. */
    public record Upstream(int status, Map<String, List<String>> headers, InputStream body) {
    }

    /** Whether {@code rawPath} (after {@code /v1/}) is a plain Stripe API path. */
    public static boolean isSafePath(String rawPath) {
        return rawPath != null && rawPath.length() <= 512 && SAFE_PATH.matcher(rawPath).matches();
    }

    public Upstream forward(String method, String rawPath, String rawQuery, Map<String, String> headers,
                            byte[] body, ConnectionService.ProxyTarget target) {
        URI uri = URI.create(baseUrl + "/v1/" + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(readTimeout)
                .method(method, body == null || body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        request.header("Authorization", "Bearer " + target.secretKey().reveal());
        request.header("Stripe-Account", target.stripeUserId());
        boolean retriable = method.equals("GET")
                || (method.equals("POST") && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Idempotency-Key")));

        for (int attempt = 1; ; attempt++) {
            boolean mayRetry = retriable && attempt < MAX_ATTEMPTS;
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (mayRetry && pause(backoff(attempt, null))) {
                    continue;
                }
                LOG.warnf("Stripe API could not be reached through the proxy (%s)", e.getClass().getSimpleName());
                return problem(502, "Stripe did not answer; the request may or may not have reached Stripe");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return problem(503, "The request was interrupted before Stripe answered");
            }
            if (mayRetry && shouldRetry(response)) {
                Duration delay = backoff(attempt, response.headers().firstValue("Retry-After").orElse(null));
                if (delay != null) {
                    discard(response.body());
                    if (pause(delay)) {
                        continue;
                    }
                }
            }
            return new Upstream(response.statusCode(), returnedHeaders(response), response.body());
        }
    }

    static boolean shouldRetry(HttpResponse<?> response) {
        return response.headers().firstValue("Stripe-Should-Retry")
                .map(value -> Boolean.parseBoolean(value.trim()))
                .orElse(response.statusCode() == 429 || response.statusCode() >= 500);
    }

    /** Full-jitter exponential backoff; honours Retry-After, and gives up (null) when Stripe asks for longer than we wait. */
    static Duration backoff(int attempt, String retryAfter) {
        if (retryAfter != null) {
            try {
                Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
                return asked.compareTo(MAX_DELAY) <= 0 ? asked : null;
            } catch (NumberFormatException e) {
                // An HTTP date or junk: fall back to our own backoff.
            }
        }
        long ceiling = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << (attempt - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    private static boolean pause(Duration delay) {
        try {
            Thread.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void discard(InputStream body) {
        try (body) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The answer is dropped anyway.
        }
    }

    private static Map<String, List<String>> returnedHeaders(HttpResponse<?> response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : RETURNED_RESPONSE_HEADERS) {
            List<String> values = response.headers().allValues(name);
            if (!values.isEmpty()) {
                headers.put(name, values);
            }
        }
        return headers;
    }

    private Upstream problem(int status, String detail) {
        Problem problem = new Problem(URI.create("https://stripe-connector.dev/problems/stripe-unavailable"),
                "Stripe unavailable", status, detail, null);
        try {
            return new Upstream(status, Map.of("Content-Type", List.of(Problem.MEDIA_TYPE)),
                    new ByteArrayInputStream(json.writeValueAsBytes(problem)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
