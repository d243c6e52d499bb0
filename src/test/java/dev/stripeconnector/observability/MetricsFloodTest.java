package dev.stripeconnector.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.Management;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, behaviour 3: requests with made-up methods and paths, sent by anyone without a key, grew the HTTP
 * server's metrics by a series each until the heap was full. 50,000 of them, each with a method and a path of
 * its own, over a few keep-alive connections, with the API's normal calls among them: the metrics
 * gain only a handful of series, keep the route templates of the normal calls, and count what they folded.
 */
@QuarkusTest
class MetricsFloodTest {

    private static final int REQUESTS = 50_000;
    private static final int CONNECTIONS = 8;
    /** A normal call after every this many made-up requests. */
    private static final int NORMAL_EVERY = 250;
    /** Made-up requests add a few series (OTHER 405 × a few routes), the normal calls a few more. */
    private static final int MAX_NEW_SERIES = 40;
    private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)} \\S+(?: # \\{.*)?$");

    final URL metrics = Management.url("/metrics");

    @Test
    void fiftyThousandMadeUpMethodsAndPathsAddOnlyAFewSeriesAndTheRoutesOfNormalCallsStay() throws Exception {
        String before = scrape();
        int port = RestAssured.port;
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger normalAnswered = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS)) {
            List<Future<?>> connections = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                connections.add(pool.submit(() -> {
                    flood(port, connection, statuses, normalAnswered);
                    return null;
                }));
            }
            for (Future<?> connection : connections) {
                connection.get();
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        String after = scrape();
        System.out.printf("MetricsFloodTest: %d made-up requests and %d normal calls over %d connections in %d ms; answers %s%n",
                REQUESTS, normalAnswered.get(), CONNECTIONS, millis, new TreeMap<>(statuses));

        assertThat(statuses.keySet()).as("every made-up method answered 405").containsExactly(405);
        assertThat(statuses.get(405).get()).isEqualTo(REQUESTS);
        assertThat(normalAnswered.get()).isEqualTo(REQUESTS / NORMAL_EVERY);

        List<String> added = new ArrayList<>(series(after));
        added.removeAll(series(before));
        assertThat(added.size()).as("series added by the flood, all meters: %s", added.size() > 100 ? added.subList(0, 100) : added)
                .isLessThanOrEqualTo(MAX_NEW_SERIES);
        List<String> requests = series(after).stream().filter(s -> s.startsWith("http_server_requests_seconds_count{")).toList();
        assertThat(requests).as("the made-up methods are one OTHER").noneMatch(s -> s.contains("method=\"Z"))
                .anyMatch(s -> s.contains("method=\"OTHER\"") && s.contains("uri=\"/{unknown}\"") && s.contains("status=\"405\""))
                .anyMatch(s -> s.contains("method=\"OTHER\"") && s.contains("uri=\"/api/v1/accounts/{accountId}/connector\"")
                        && s.contains("status=\"405\""))
                .anyMatch(s -> s.contains("method=\"OTHER\"") && s.contains("uri=\"/api/v1/connector\"") && s.contains("status=\"405\""));
        assertThat(requests).as("the normal calls made during the flood, by route template")
                .anyMatch(s -> s.contains("method=\"GET\"") && s.contains("uri=\"/api/v1/events/{id}\"") && s.contains("status=\"404\""))
                .anyMatch(s -> s.contains("method=\"HEAD\"") && s.contains("uri=\"/api/v1/connector\"") && s.contains("status=\"200\""))
                .noneMatch(s -> s.contains("flood-"));

        assertThat(counter(after, "connector_metrics_overflow_total", "method") - counter(before, "connector_metrics_overflow_total", "method"))
                .as("methods folded into OTHER").isGreaterThanOrEqualTo(REQUESTS);
        assertThat(counter(after, "connector_metrics_overflow_total", "path") - counter(before, "connector_metrics_overflow_total", "path"))
                .as("paths of no route folded into /{unknown}").isGreaterThanOrEqualTo(REQUESTS / 4);
        assertThat(counter(after, "connector_metrics_overflow_total", "series"))
                .as("no series had to be dropped: the folding held").isEqualTo(counter(before, "connector_metrics_overflow_total", "series"));
    }

    /**
     * One keep-alive connection's share: made-up requests (a method and a path of its own each: a path of no route,
     * a route's path, a route's path with a query), each sent once the previous one was answered, and a normal API
     * call after every {@value #NORMAL_EVERY}. (Not pipelined: Vert.x stops answering a connection that pipelines
     * a few hundred requests with unknown methods, with or without this service's handling of them.)
     */
    private static void flood(int port, int connection, Map<Integer, AtomicInteger> statuses, AtomicInteger normalAnswered)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            for (int i = connection; i < REQUESTS; i += CONNECTIONS) {
                out.write(madeUp(i).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                statuses.computeIfAbsent(readAnswer(in, false), s -> new AtomicInteger()).incrementAndGet();
                if (i % NORMAL_EVERY == NORMAL_EVERY - 1) {
                    int n = i / NORMAL_EVERY;
                    out.write(normalCall(n).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertThat(readAnswer(in, n % 2 == 1)).as("normal call %d", n).isIn(200, 404);
                    normalAnswered.incrementAndGet();
                }
            }
        }
    }

    private static String madeUp(int i) {
        String method = "Z" + letters(i);
        String path = switch (i % 4) {
            case 0 -> "/flood-" + i + "/" + letters(i * 7L);
            case 1 -> "/api/v1/accounts/flood-" + i + "/connector";
            case 2 -> "/api/v1/events/flood-" + i + "?after=" + i;
            // The issue's own attack: one path, a new method each time.
            default -> "/api/v1/connector";
        };
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Alternately an event that does not exist (404) and the console settings without their body (HEAD, 200). */
    private static String normalCall(int n) {
        String line = n % 2 == 0 ? "GET /api/v1/events/00000000-0000-4000-8000-" + String.format("%012d", n) : "HEAD /api/v1/connector";
        return line + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestKeys.API_KEY + "\r\nAccept: application/json\r\n\r\n";
    }

    /** A distinct token of capital letters for each number. */
    private static String letters(long n) {
        StringBuilder token = new StringBuilder();
        do {
            token.append((char) ('A' + n % 26));
            n /= 26;
        } while (n > 0);
        return token.toString();
    }

    /** Reads one answer (status line, headers, a body by Content-Length or chunked) and returns its status. */
    private static int readAnswer(InputStream in, boolean head) throws IOException {
        String status = line(in);
        assertThat(status).startsWith("HTTP/1.1 ");
        long length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (head) {
            return Integer.parseInt(status.substring(9, 12));
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else {
            in.skipNBytes(length);
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed mid-answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private String scrape() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }

    /** Every series of the scrape, as {@code name{tags}}. */
    private static List<String> series(String scrape) {
        Matcher m = SERIES.matcher(scrape);
        List<String> all = new ArrayList<>();
        while (m.find()) {
            all.add(m.group(1) + "{" + m.group(2) + "}");
        }
        return all;
    }

    private static long counter(String scrape, String name, String kind) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*kind=\"" + kind + "\"[^}]*} ([0-9.E+]+)( # .*)?$").matcher(scrape);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
