package dev.stripeconnector.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Requests whose HTTP framing is broken, sent over a plain socket: each one is answered before the
 * connection closes, never left without an answer. What reaches the service is answered with a
 * problem; what Vert.x's HTTP decoder cannot parse gets Vert.x's own bare status (HttpGuards says why),
 * and this class pins down which those are.
 */
@QuarkusTest
class HttpFramingTest {

    private static final String KEY = "Authorization: Bearer " + TestKeys.API_KEY + "\r\n";
    private static final String JSON_CHUNKED = "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n";

    @Test
    void aChunkedBodyWhoseFramingBreaksIsAProblemAnsweredBeforeTheConnectionCloses() {
        String[] requests = {
            // A chunk size that is not hexadecimal, in the same packet as the head.
            "POST /webhooks/stripe HTTP/1.1\r\nHost: localhost\r\n" + JSON_CHUNKED + "\r\nzz\r\n{}\r\n0\r\n\r\n",
            // A chunk longer than its declared size: what follows it is not a chunk size.
            "PUT /api/v1/connector HTTP/1.1\r\nHost: localhost\r\n" + KEY + JSON_CHUNKED + "\r\n2\r\n{\"clientId\":null}\r\n0\r\n\r\n",
            // One good chunk, then garbage.
            "PUT /api/v1/accounts/framing-1/connector HTTP/1.1\r\nHost: localhost\r\n" + KEY + JSON_CHUNKED + "\r\n1\r\n{\r\n-5\r\n}\r\n0\r\n\r\n",
        };
        for (String request : requests) {
            Exchange exchange = exchange(request, true);
            assertThat(exchange.answer()).as(printable(request)).startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"status\":400").contains("chunked framing is broken");
            assertThat(exchange.closedByServer()).as("closed after the answer: " + printable(request)).isTrue();
        }
    }

    @Test
    void framingTheRouterStillSeesIsAProblem() {
        String[] requests = {
            // HTTP/1.1 without Host.
            "GET /api/v1/connector HTTP/1.1\r\n" + KEY + "\r\n",
            // A folded header line (obsolete line folding) continues the Host header.
            "GET /api/v1/connector HTTP/1.1\r\nHost: localhost\r\n Folded: header\r\n" + KEY + "\r\n",
        };
        for (String request : requests) {
            String answer = exchange(request).answer();
            // The rest of the request is never read: the caller is told not to send another on this connection.
            assertThat(answer).as(printable(request)).startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("content-type: application/problem+json").contains("\"status\":400")
                    .containsIgnoringCase("connection: close");
        }
    }

    /**
     * These never reach a route: Vert.x's HTTP decoder refuses them and Vert.x answers with an empty
     * status before closing (docs/reliability.md, known limits). Should Quarkus let the application
     * answer them, this test shows it and moves them to the problems above.
     */
    @Test
    void whatTheHttpDecoderRefusesGetsABareStatusAndAClosedConnectionNeverSilence() {
        String[][] cases = {
            {"GET /api/v1/connector HTTP/1.1\r\nHost: localhost\r\nX-Trace: a\u0001b\r\n" + KEY + "\r\n", "400"},
            {"GET /api/v1/connector HTTP/1.1\r\nHost: localhost\r\nX-Trace: a\u0000b\r\n" + KEY + "\r\n", "400"},
            {"PUT /api/v1/connector HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n" + KEY + "\r\n", "400"},
            {"PUT /api/v1/connector HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n" + KEY + "\r\n", "400"},
            {"PUT /api/v1/connector HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n" + KEY + "\r\n{}", "400"},
            {"POST /webhooks/stripe HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400"},
            {"GET /api/v1/connector HTTP/1.1\r\nHost: localhost\r\nNoColonHeader\r\n\r\n", "400"},
            {"GET /api/v1/connector HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n", "431"},
            {"GET /api/v1/connector?" + "q".repeat(70_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", "414"},
        };
        for (String[] c : cases) {
            Exchange exchange = exchange(c[0], true);
            // A request line Netty could not read is answered as HTTP/1.0.
            assertThat(exchange.answer()).as(printable(c[0])).matches("(?s)HTTP/1\\.[01] " + c[1] + " .*")
                    .containsIgnoringCase("content-length: 0");
            assertThat(exchange.closedByServer()).as("closed after the answer: " + printable(c[0])).isTrue();
        }
    }

    /** What came back: the answer (head and body as far as its Content-Length goes), and whether the server then closed. */
    record Exchange(String answer, boolean closedByServer) {
    }

    /** Sends {@code request} as it is and reads the answer. */
    private static Exchange exchange(String request) {
        return exchange(request, false);
    }

    /**
     * Sends {@code request} as it is and reads the answer; with {@code checkClosed}, then reads on to see
     * whether the server ends the connection (one it keeps open is seen after the 10 s read timeout).
     */
    private static Exchange exchange(String request, boolean checkClosed) {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String answer = readAnswer(in);
            return new Exchange(answer, checkClosed && closed(in));
        } catch (IOException e) {
            throw new AssertionError(printable(request) + ": " + e, e);
        }
    }

    /**
     * One answer: its head, then as many body bytes as its Content-Length says. A server that closes
     * without reading all that was sent makes the kernel reset the connection; what arrived first is kept.
     */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            int b;
            while (!complete(received.toString(StandardCharsets.ISO_8859_1)) && (b = in.read()) >= 0) {
                received.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no whole answer within 10 s; so far: " + received, e);
        } catch (SocketException reset) {
            // Reset after (or instead of) the answer: keep what arrived.
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean complete(String received) {
        int end = received.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(received.substring(0, end));
        return length.find() && received.length() - end - 4 >= Integer.parseInt(length.group(1));
    }

    /** Whether the server ends the connection (an orderly close or a reset) instead of waiting for another request. */
    private static boolean closed(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static String printable(String request) {
        String head = request.length() > 160 ? request.substring(0, 160) + "…" : request;
        StringBuilder out = new StringBuilder();
        for (char c : head.toCharArray()) {
            out.append(c < 0x20 ? String.format(Locale.ROOT, "\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
