package dev.stripeconnector.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event receiver that takes every delivery and answers none until the test releases it (then
 * {@code 204} to each, at once and from then on): a receiver that hangs. Plain HTTP on 127.0.0.1
 * (allow-listed in the tests), a virtual thread per request, so it holds as many as it is sent.
 */
public final class HangingReceiver implements AutoCloseable {

    /** How long a request is held at most, should the test never release it (it fails long before). */
    private static final Duration HOLD_AT_MOST = Duration.ofMinutes(5);

    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private final List<String> eventIds = new CopyOnWriteArrayList<>();

    private HangingReceiver(HttpServer server) {
        this.server = server;
    }

    public static HangingReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            HangingReceiver receiver = new HangingReceiver(server);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    receiver.eventIds.add(exchange.getRequestHeaders().getFirst("Stripe-Connector-Event-Id"));
                    receiver.held.incrementAndGet();
                    try {
                        receiver.released.await(HOLD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        receiver.held.decrementAndGet();
                    }
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The requests it holds now, unanswered. */
    public int held() {
        return held.get();
    }

    /** The event ids of every request it got, in the order they came (answered or not). */
    public List<String> received() {
        return List.copyOf(eventIds);
    }

    /** Waits (polling, bounded) until it holds {@code count} requests. */
    public void awaitHeld(int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (held() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The hanging receiver holds " + held() + " requests, not " + count + ", after " + timeout);
            }
            EventReceiver.pause(50);
        }
    }

    /** Answers every request held, and every later one at once. */
    public void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
