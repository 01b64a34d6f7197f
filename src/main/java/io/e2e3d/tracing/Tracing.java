package io.e2e3d.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traces every route and step with camel-opentelemetry2, exported over OTLP (http/protobuf) when an endpoint
 * is configured. The standard OTEL_* environment variables still apply and win (sampler, headers, ...).
 * While a span is active its trace_id and span_id are in the logging context, so every log line of a
 * request or a job carries them.
 */
public final class Tracing {

    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

    private Tracing() {
    }

    /** Starts tracing when {@code otlpEndpoint} is set; does nothing otherwise. */
    public static void enable(CamelContext context, String otlpEndpoint, String serviceName) throws Exception {
        if (otlpEndpoint == null || otlpEndpoint.isBlank()) {
            return;
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.exporter.otlp.endpoint", otlpEndpoint,
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.service.name", serviceName,
                        "otel.traces.exporter", "otlp",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        "otel.bsp.schedule.delay", "1000"))
                .build()
                .getOpenTelemetrySdk();
        // bound in the registry, not as the global instance: the log4j context-data provider reads the global
        // one at the first log line, long before this runs
        context.getRegistry().bind("otelTracer", sdk.getTracer("camel"));
        context.getRegistry().bind("otelPropagators", sdk.getPropagators());
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setTraceProcessors(true);
        tracer.init(context);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                sdk.close(); // flushes the spans still queued
            }
        }, true, false);
        LOG.info("Tracing: spans of every route and step exported over OTLP to {}", otlpEndpoint);
    }
}
