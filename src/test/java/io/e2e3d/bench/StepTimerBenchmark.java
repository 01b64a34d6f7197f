package io.e2e3d.bench;

import io.e2e3d.metrics.StepTimers;
import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The cost of timing every step (run on demand; prints figures): a 7-step route pushed through 100,000
 * exchanges with per-step timers on and off, alternating in the same run, and the time to render /metrics
 * of a running service that has all its series.
 */
public final class StepTimerBenchmark {

    private static final int EXCHANGES = 100_000;

    public static void main(String... args) throws Exception {
        System.out.printf("Step timer benchmark, %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        run(true, 20_000); // warm-up, both ways
        run(false, 20_000);
        for (int round = 0; round < 5; round++) {
            on.add(run(true, EXCHANGES));
            off.add(run(false, EXCHANGES));
        }
        double medianOn = median(on);
        double medianOff = median(off);
        System.out.printf("per-step timers on : %,.0f exchanges/s (median of 5 x %,d)%n", medianOn, EXCHANGES);
        System.out.printf("per-step timers off: %,.0f exchanges/s%n", medianOff);
        System.out.printf("throughput ratio on/off: %.3f (target >= 0.95)%n", medianOn / medianOff);

        try (RunningService service = RunningService.start(RunningService.testSettings(
                Files.createTempDirectory("e2e3d-bench-metrics"), Database.H2))) {
            service.get("/api/jobs");
            service.get("/api/health");
            Thread.sleep(3_000);
            PrometheusMeterRegistry registry = service.context().getRegistry()
                    .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, PrometheusMeterRegistry.class);
            List<Double> renders = new ArrayList<>();
            int lines = 0;
            for (int i = 0; i < 30; i++) {
                long t = System.nanoTime();
                String text = registry.scrape();
                renders.add((System.nanoTime() - t) / 1e6);
                lines = (int) text.lines().filter(l -> !l.startsWith("#")).count();
            }
            System.out.printf("/metrics render: median %.1f ms, max %.1f ms over 30 scrapes of %,d series (target < 50 ms)%n",
                    median(renders), renders.stream().mapToDouble(Double::doubleValue).max().orElse(0), lines);
        }
        System.exit(0);
    }

    /** Exchanges per second through a 7-step route, with or without a timer per step. */
    private static double run(boolean stepTimers, int exchanges) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CamelContext context = new DefaultCamelContext();
        MicrometerRoutePolicyFactory policy = new MicrometerRoutePolicyFactory();
        policy.setMeterRegistry(registry);
        context.addRoutePolicyFactory(policy);
        if (stepTimers) {
            context.getCamelContextExtension().addInterceptStrategy(new StepTimers(registry));
        }
        // a lambda, not a RouteBuilder subclass: Camel Main's package scan must not load it into the service
        RouteBuilder.addRoutes(context, rb -> rb.from("direct:bench").routeId("bench")
                .setHeader("step", rb.constant(1)).id("step-1")
                .process(e -> e.getMessage().setBody(e.getMessage().getBody(String.class) + "a")).id("step-2")
                .filter(rb.header("step").isEqualTo(1)).id("step-3")
                    .process(e -> e.setProperty("seen", true)).id("step-4")
                .end()
                .transform(rb.body().append("b")).id("step-5")
                .removeHeader("step").id("step-6")
                .process(e -> e.getMessage().setHeader("done", true)).id("step-7"));
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        long start = System.nanoTime();
        for (int i = 0; i < exchanges; i++) {
            template.sendBody("direct:bench", "x");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        context.stop();
        return exchanges / seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
