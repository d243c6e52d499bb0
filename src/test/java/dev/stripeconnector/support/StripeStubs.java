package dev.stripeconnector.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stripe-shaped answers (fixtures under src/test/resources/stripe/) and URL helpers. */
public final class StripeStubs {

    private StripeStubs() {
    }

    /**
     * A Stripe played by WireMock for tests that start the packaged application themselves, with the
     * default answers of src/test/resources/wiremock/mappings (any secret key belongs to the test platform).
     */
    public static WireMockServer newServer() {
        WireMockServer server = new WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1").dynamicPort().usingFilesUnderClasspath("wiremock"));
        server.start();
        return server;
    }

    public static String fixture(String name) {
        try (InputStream in = StripeStubs.class.getResourceAsStream("/stripe/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void tokenAnswers(WireMockServer stripe, int status, String fixture) {
        stripe.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/json").withBody(fixture(fixture))));
    }

    public static void tokenAnswersAfter(WireMockServer stripe, int delayMillis, String fixture) {
        stripe.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withFixedDelay(delayMillis)
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fixture(fixture))));
    }

    public static void tokenFails(WireMockServer stripe, Fault fault) {
        stripe.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withFault(fault)));
    }

    public static void tokenAnswersRaw(WireMockServer stripe, int status, String body) {
        stripe.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** {@code GET /v1/account} (a verify) answers with a fixture. */
    public static void accountAnswers(WireMockServer stripe, int status, String fixture) {
        stripe.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/account")).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/json").withBody(fixture(fixture))));
    }

    /** {@code POST /oauth/deauthorize} answers with a fixture, or an empty body. */
    public static void deauthorizeAnswers(WireMockServer stripe, int status, String fixture) {
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/json").withBody(fixture == null ? "" : fixture(fixture))));
    }

    /** Stripe says {@code secretKey} belongs to the platform account {@code platformAccountId}. */
    public static void keyBelongsTo(WireMockServer stripe, String secretKey, String platformAccountId) {
        stripe.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/account"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + secretKey))
                .withHeader("Stripe-Account", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + platformAccountId + "\",\"object\":\"account\"}")));
    }

    public static RequestPatternBuilder tokenRequests() {
        return postRequestedFor(urlPathEqualTo("/oauth/token"));
    }

    /** The decoded query parameters of a URL, in order, repeated names kept. */
    public static Map<String, List<String>> query(String url) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    public static String param(String url, String name) {
        List<String> values = query(url).get(name);
        return values == null ? null : values.get(0);
    }
}
