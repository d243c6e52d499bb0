package dev.stripeconnector.connection;

import dev.stripeconnector.common.MalformedRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file upload's body, read into one array of the size its {@code Content-Length} declares. An upload is up to 32 MB and
 * held whole while Stripe is called (every retry sends the same bytes): read as a {@code byte[]} parameter, Quarkus REST
 * gathers it in pieces and then copies them into one array, twice its size at the peak; read here, it takes its own size.
 * The HTTP guards let an upload through only with its length declared and within the limit, before a byte is read.
 */
final class ProxyBody {

    private ProxyBody() {
    }

    /**
     * The body's bytes: exactly {@code declared} of them ({@code Content-Length}); without one (-1, which the guards do
     * not let through for an upload) the body read whole. A body that ends before or goes on after its declared length
     * is the caller's mistake (400), never forwarded.
     */
    static byte[] read(InputStream in, int declared) throws IOException {
        if (declared < 0) {
            return in.readAllBytes();
        }
        byte[] body = new byte[declared];
        int read;
        try {
            read = in.readNBytes(body, 0, body.length);
        } catch (IOException stalled) {
            // The body stopped arriving: the server's read timeout cut it (and closed the connection).
            throw new MalformedRequest("The request body did not arrive in full (" + stalled.getMessage() + ")");
        }
        if (read < body.length) {
            throw new MalformedRequest("The request body ended after " + read + " of the " + declared + " bytes its Content-Length declares");
        }
        if (in.read() != -1) {
            throw new MalformedRequest("The request body is longer than the " + declared + " bytes its Content-Length declares");
        }
        return body;
    }
}
