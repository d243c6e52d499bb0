package dev.stripeconnector.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.MalformedRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A proxied body is read into one array of its declared length, byte for byte, and a body that ends before or runs past
 * its {@code Content-Length} is refused as the caller's mistake (400), never forwarded cut or padded. (Over HTTP/1.1 the
 * decoder frames the body by its length, so the mismatch is reached here, with the stream a resource is handed.)
 */
class ProxyBodyTest {

    private static final long SEED = 2112;

    @Test
    void aDeclaredBodyIsReadExactlyAcrossPieces() throws Exception {
        byte[] sent = new byte[300 * 1024 + 7];
        new Random(SEED).nextBytes(sent);
        // Handed over in pieces, as the HTTP layer does, not all at once.
        assertThat(ProxyBody.read(trickle(sent, 8192), sent.length)).isEqualTo(sent);
        assertThat(ProxyBody.read(trickle(new byte[0], 8192), 0)).isEmpty();
    }

    @Test
    void aChunkedBodyWithoutADeclaredLengthIsReadWhole() throws Exception {
        byte[] sent = new byte[20_000];
        new Random(SEED).nextBytes(sent);
        assertThat(ProxyBody.read(trickle(sent, 1000), -1)).isEqualTo(sent);
    }

    @Test
    void aBodyShorterOrLongerThanDeclaredIsRefusedAsMalformed() {
        byte[] sent = new byte[10_000];
        assertThatThrownBy(() -> ProxyBody.read(trickle(sent, 4096), sent.length + 1))
                .isInstanceOfSatisfying(MalformedRequest.class, e -> assertThat(e.failure()).isEqualTo(Failure.MALFORMED_REQUEST))
                .hasMessageContaining("ended after 10000 of the 10001 bytes");
        assertThatThrownBy(() -> ProxyBody.read(trickle(sent, 4096), sent.length - 1))
                .isInstanceOf(MalformedRequest.class).hasMessageContaining("longer than the 9999 bytes");
    }

    /** {@code bytes}, at most {@code piece} of them per read, as the HTTP layer hands a body over. */
    private static InputStream trickle(byte[] bytes, int piece) {
        ByteArrayInputStream all = new ByteArrayInputStream(bytes);
        return new InputStream() {
            @Override
            public int read() {
                return all.read();
            }

            @Override
            public int read(byte[] into, int off, int len) {
                return all.read(into, off, Math.min(len, piece));
            }
        };
    }

    @Test
    void aBodyThatStopsArrivingIsTheCallersFault() {
        java.io.InputStream stalled = new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("Read timed out");
            }
        };
        assertThatThrownBy(() -> ProxyBody.read(stalled, 10)).isInstanceOf(MalformedRequest.class).hasMessageContaining("did not arrive in full");
    }
}
