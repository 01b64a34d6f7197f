package io.e2e3d.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The seed's metrics endpoint: Prometheus text at http://0.0.0.0:9101/metrics, from the same registry as /observe/metrics. */
public class MetricsServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final int port;
    private HttpServer server;

    public MetricsServer(PrometheusMeterRegistry registry, int port) {
        this.registry = registry;
        this.port = port;
    }

    @Override
    protected void doStart() throws Exception {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        LOG.info("Prometheus metrics at http://0.0.0.0:{}/metrics", server.getAddress().getPort());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
