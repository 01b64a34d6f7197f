package io.e2e3d.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

/**
 * A webhook receiver for tests: the JDK's HTTP server on a loopback port, answering each POST with the status
 * its script gives for the request's number (1, 2, ...) and keeping every request it got.
 */
final class Receiver implements AutoCloseable {

    record Request(String deliveryId, String signature, String contentType, byte[] body, int answered) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private Receiver(int port, IntUnaryOperator script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = script.applyAsInt(requests.size() + 1);
            requests.add(new Request(exchange.getRequestHeaders().getFirst(WebhookSender.DELIVERY_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    static Receiver on(int port, IntUnaryOperator script) throws IOException {
        return new Receiver(port, script);
    }

    /** Answers 503 to the first {@code failures} requests, then 200. */
    static Receiver failingFirst(int port, int failures) throws IOException {
        return on(port, n -> n <= failures ? 503 : 200);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    long delivered() {
        return requests.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
