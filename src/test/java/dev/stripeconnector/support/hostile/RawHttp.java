package dev.stripeconnector.support.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for the requests {@code java.net.http.HttpClient} refuses to send
 * (malformed query strings, raw bytes in the path, control characters in headers, chunked form
 * bodies, bodies the server refuses before reading them). One connection per request
 * ({@code Connection: close}); the body is written by a virtual thread so a server that stops
 * reading can never block the caller past its timeout.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code request} (request line, headers, blank line and body, exactly as given) and reads the answer. */
    public static Answer exchange(String host, int port, byte[] head, byte[] body, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            String[] writeFailure = new String[1];
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(head);
                    if (body != null) {
                        for (int at = 0; at < body.length; at += 16 * 1024) {
                            out.write(body, at, Math.min(16 * 1024, body.length - at));
                        }
                    }
                    out.flush();
                } catch (IOException e) {
                    writeFailure[0] = e.getMessage();
                }
            });
            byte[] received = readAll(socket.getInputStream(), System.nanoTime() + timeoutMillis * 1_000_000L);
            socket.close();
            writer.join(1000);
            Answer answer = parse(received);
            if (answer == null) {
                return Answer.none("no HTTP answer (" + received.length + " bytes read"
                        + (writeFailure[0] != null ? ", writing failed: " + writeFailure[0] : "") + ")");
            }
            return answer;
        } catch (IOException e) {
            return Answer.none("connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.none("interrupted");
        }
    }

    /** Reads until the server closes, the answer is complete, the connection is reset, or the deadline passes. */
    private static byte[] readAll(InputStream in, long deadline) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                // Reset after (or instead of) the answer: keep what arrived.
                break;
            }
            if (n < 0) {
                break;
            }
            all.write(buffer, 0, n);
            if (complete(all.toByteArray())) {
                break;
            }
        }
        return all.toByteArray();
    }

    private static int headEnd(byte[] data) {
        for (int i = 0; i + 3 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean complete(byte[] data) {
        Answer answer = parse(data);
        // A body delimited by the end of the connection is complete only at its end.
        return answer != null && answer.failure() == null
                && (answer.headers().containsKey("content-length") || answer.headers().containsKey("transfer-encoding"));
    }

    /** The answer in {@code data}; null when not even a status line and headers arrived. failure() is set when the body is cut short. */
    static Answer parse(byte[] data) {
        int end = headEnd(data);
        if (end < 0) {
            return null;
        }
        String[] lines = new String(data, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(data, end + 4, data.length);
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = 0;
            while (true) {
                int lineEnd = indexOfCrlf(rest, at);
                if (lineEnd < 0) {
                    return new Answer(status, headers, body.toByteArray(), "chunked body cut short");
                }
                String sizeText = new String(rest, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int size;
                try {
                    size = Integer.parseInt(sizeText, 16);
                } catch (NumberFormatException e) {
                    return new Answer(status, headers, body.toByteArray(), "bad chunk size");
                }
                at = lineEnd + 2;
                if (size == 0) {
                    return new Answer(status, headers, body.toByteArray(), null);
                }
                if (at + size > rest.length) {
                    return new Answer(status, headers, body.toByteArray(), "chunked body cut short");
                }
                body.write(rest, at, size);
                at += size + 2;
            }
        }
        List<String> length = headers.get("content-length");
        if (length != null) {
            int declared;
            try {
                declared = Integer.parseInt(length.get(0));
            } catch (NumberFormatException e) {
                return new Answer(status, headers, rest, "bad content-length");
            }
            if (rest.length < declared) {
                return new Answer(status, headers, rest, "body cut short");
            }
            return new Answer(status, headers, java.util.Arrays.copyOf(rest, declared), null);
        }
        // Neither: the body runs to the end of the connection (or there is none).
        return new Answer(status, headers, rest, null);
    }

    private static int indexOfCrlf(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** {@code body} as a chunked transfer encoding, in chunks of at most {@code chunkSize} bytes. */
    public static byte[] chunked(byte[] body, int chunkSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += chunkSize) {
            int n = Math.min(chunkSize, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
