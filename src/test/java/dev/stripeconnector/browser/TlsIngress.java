package dev.stripeconnector.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An ingress as a cluster puts one in front of the service, on 127.0.0.1: it ends TLS (a self-signed
 * certificate made at start with the JDK's keytool) and forwards every request over plain HTTP to the
 * service, with the {@code Host} the browser sent and {@code X-Forwarded-Proto: https},
 * {@code X-Forwarded-For}, {@code X-Forwarded-Port} and {@code X-Forwarded-Host}, as an nginx ingress
 * does. A second, plain listener stands for Stripe's own site (the simulated Stripe the service
 * carries in tests), which a browser and the service reach at an address of its own.
 * <p>
 * The service's port is asked for at each request: the application starts after the ingress (its
 * public base URL names the ingress's port) on a port of its own choosing.
 */
final class TlsIngress implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "trailer", "upgrade", "content-length", "expect", "host");
    private static final char[] PASSWORD = "ingress-test-only".toCharArray();

    private final HttpsServer tls;
    private final HttpServer plain;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final IntSupplier upstreamPort;

    private TlsIngress(String certificateName, IntSupplier upstreamPort) throws Exception {
        if (!String.valueOf(System.getProperty("jdk.httpclient.allowRestrictedHeaders")).toLowerCase(Locale.ROOT).contains("host")) {
            throw new IllegalStateException("The ingress forwards the browser's Host: run with -Djdk.httpclient.allowRestrictedHeaders=host"
                    + " (the POM's surefire configuration sets it)");
        }
        this.upstreamPort = upstreamPort;
        tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        tls.setHttpsConfigurator(new HttpsConfigurator(sslContext(certificateName)));
        tls.createContext("/", exchange -> forwardOrSay(exchange, true));
        tls.setExecutor(workers);
        plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        plain.createContext("/", exchange -> forwardOrSay(exchange, false));
        plain.setExecutor(workers);
        tls.start();
        plain.start();
    }

    /** Starts both listeners on free ports of 127.0.0.1, its certificate made out to {@code certificateName}. */
    static TlsIngress start(String certificateName, IntSupplier upstreamPort) {
        try {
            return new TlsIngress(certificateName, upstreamPort);
        } catch (Exception e) {
            throw new IllegalStateException("The TLS ingress could not start", e);
        }
    }

    /** The port browsers reach the service at, over https. */
    int tlsPort() {
        return tls.getAddress().getPort();
    }

    /** The plain port that stands for Stripe's own site. */
    int plainPort() {
        return plain.getAddress().getPort();
    }

    /** A request the ingress itself fails is a test bug: said on stderr, not swallowed by the HTTP server. */
    private void forwardOrSay(HttpExchange exchange, boolean overTls) throws IOException {
        try {
            forward(exchange, overTls);
        } catch (IOException | RuntimeException e) {
            System.err.println("[ingress] " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed in the ingress: " + e);
            throw e;
        }
    }

    private void forward(HttpExchange exchange, boolean overTls) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String host = exchange.getRequestHeaders().getFirst("Host");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstreamPort.getAsInt() + target))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                String name = header.getKey().toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(name) && !name.startsWith("x-forwarded-")) {
                    header.getValue().forEach(value -> request.header(header.getKey(), value));
                }
            }
            if (host != null) {
                request.header("Host", host);
            }
            if (overTls) {
                request.header("X-Forwarded-Proto", "https")
                        .header("X-Forwarded-Port", String.valueOf(tlsPort()))
                        .header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
                if (host != null) {
                    request.header("X-Forwarded-Host", host);
                }
            }
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (IOException e) {
                System.err.println("[ingress] the service (port " + upstreamPort.getAsInt() + ") did not answer " + exchange.getRequestMethod() + " " + target + ": " + e);
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] content = answer.body();
            boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || answer.statusCode() == 204 || answer.statusCode() == 304
                    || content.length == 0;
            exchange.sendResponseHeaders(answer.statusCode(), noBody ? -1 : content.length);
            if (!noBody) {
                exchange.getResponseBody().write(content);
            }
        }
    }

    /** A key pair and self-signed certificate for {@code name}, 127.0.0.1 and localhost, made by keytool for this run only. */
    private static SSLContext sslContext(String name) throws Exception {
        Path dir = Files.createTempDirectory("tls-ingress");
        Path store = dir.resolve("ingress.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "ingress", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=dns:" + name + ",dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        Files.delete(store);
        Files.delete(dir);
        return context;
    }

    @Override
    public void close() {
        tls.stop(0);
        plain.stop(0);
        workers.shutdownNow();
        client.close();
    }
}
