package io.e2e3d.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/** What Prometheus scrapes from :9101/metrics after real jobs ran: the seed's metrics, live and bounded. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {

    RunningService service;
    Scrape scrape;

    @BeforeAll
    void runJobsAndScrape() throws Exception {
        service = RunningService.start(RunningService.testSettings(Files.createTempDirectory("e2e3d-metrics"), Database.H2));
        for (int i = 0; i < 5; i++) {
            put("metrics-set/img_" + i + ".png", TestImages.textured(240, 180, i, "png"));
        }
        put("metrics-set/notes.txt", "x".getBytes());
        put("metrics-set/_READY", new byte[0]);
        put("few-set/img_0.png", TestImages.textured(240, 180, 9, "png"));
        put("few-set/_READY", new byte[0]);
        RunningService.await(Duration.ofSeconds(60), () -> {
            try {
                return service.getJson("/api/jobs?status=failed").path("total").asInt() == 2;
            } catch (Exception e) {
                return false;
            }
        }, "both jobs to fail (colour blobs are no scene; too few images)");
        service.get("/api/jobs/job_000000000000");
        service.get("/api/health");
        Thread.sleep(2_500); // one more scheduled health check and storage measurement
        scrape = Scrape.of(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + service.settings().get("e2e3d.metrics.port") + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void seedJobMetricsAreLive() {
        scrape.assertType("reconstruction_total", "counter");
        assertEquals(2.0, scrape.sum("reconstruction_total", Map.of()), 0.0);
        scrape.assertType("reconstruction_success_total", "counter");
        assertEquals(0.0, scrape.sum("reconstruction_success_total", Map.of()), 0.0);
        assertEquals(2.0, scrape.sum("reconstruction_failure_total", Map.of()), 0.0);
        scrape.assertType("e2e3d_active_jobs", "gauge");
        assertEquals(0.0, scrape.sum("e2e3d_active_jobs", Map.of()), 0.0);
        scrape.assertType("e2e3d_job_duration_seconds", "histogram");
        assertEquals(2.0, scrape.sum("e2e3d_job_duration_seconds_count", Map.of("status", "failed")), 0.0);
        // jobs_created_total is a recording rule over jobs_submitted_total (the Java client strips "_created")
        scrape.assertType("jobs_submitted_total", "counter");
        assertEquals(2.0, scrape.sum("jobs_submitted_total", Map.of()), 0.0);
        assertEquals(2.0, scrape.sum("jobs_failed_total", Map.of()), 0.0);
        assertEquals(0.0, scrape.sum("jobs_completed_total", Map.of()), 0.0);
        scrape.assertType("job_processing_duration_seconds", "histogram");
        assertEquals(2.0, scrape.sum("job_processing_duration_seconds_count", Map.of()), 0.0);
    }

    @Test
    void seedReconstructionMetricsCarryTheirLabels() {
        scrape.assertType("reconstruction_stage_duration_seconds", "histogram");
        assertEquals(1.0, scrape.sum("reconstruction_stage_duration_seconds_count",
                Map.of("stage", "preprocessing", "dataset_type", "unknown")), 0.0, "one job passed preprocessing");
        assertTrue(scrape.sum("reconstruction_memory_usage_bytes", Map.of("stage", "preprocessing")) > 0);
        scrape.assertType("reconstruction_point_cloud_size", "histogram");
        assertTrue(scrape.has("reconstruction_point_cloud_size_bucket", Map.of("dataset_type", "object")));
        scrape.assertType("reconstruction_mesh_face_count", "histogram");
        // colour blobs are no scene: the engine refuses them in one of its stages
        assertEquals(1.0, scrape.sum("reconstruction_errors_total", Map.of("error_type", "reconstruction_failed")), 0.0);
        assertEquals(1.0, scrape.sum("reconstruction_errors_total", Map.of("stage", "preprocessing",
                "error_type", "too_few_images")), 0.0);
    }

    @Test
    void apiMetricsUseRouteTemplatesAndStatusCodes() {
        scrape.assertType("api_requests_total", "counter");
        assertTrue(scrape.sum("api_requests_total", Map.of("method", "GET", "endpoint", "/api/jobs", "status", "200")) >= 1);
        assertEquals(1.0, scrape.sum("api_requests_total", Map.of("method", "GET", "endpoint", "/api/jobs/{id}", "status", "404")), 0.0);
        scrape.assertType("api_request_duration_seconds", "histogram");
        assertTrue(scrape.has("api_request_duration_seconds_bucket", Map.of("method", "GET", "endpoint", "/api/health")));
    }

    @Test
    void healthQueueIngestAndStorageMetrics() {
        scrape.assertType("health_check_total", "counter");
        assertTrue(scrape.sum("health_check_total", Map.of("component", "database", "status", "healthy")) >= 1);
        assertEquals(1.0, scrape.sum("e2e3d_component_up", Map.of("component", "minio")), 0.0);
        assertEquals(1.0, scrape.sum("e2e3d_component_up", Map.of("component", "database")), 0.0);
        assertTrue(scrape.has("e2e3d_queue_depth", Map.of("status", "queued")));
        assertEquals(6.0, scrape.sum("e2e3d_ingest_objects_total", Map.of("result", "image")), 0.0);
        assertEquals(1.0, scrape.sum("e2e3d_ingest_objects_total", Map.of("result", "rejected")), 0.0);
        assertEquals(2.0, scrape.sum("e2e3d_ingest_objects_total", Map.of("result", "marker")), 0.0);
        assertEquals(9.0, scrape.sum("e2e3d_storage_bucket_objects", Map.of("bucket", "input")), 0.0);
        assertTrue(scrape.sum("e2e3d_storage_bucket_bytes", Map.of("bucket", "input")) > 0);
    }

    @Test
    void processAndJvmMetricsUnderTheSeedNames() {
        scrape.assertType("process_cpu_seconds_total", "counter");
        for (String gauge : List.of("process_open_fds", "process_max_fds", "process_virtual_memory_bytes",
                "process_resident_memory_bytes", "process_start_time_seconds")) {
            scrape.assertType(gauge, "gauge");
            assertTrue(scrape.sum(gauge, Map.of()) > 0, gauge);
        }
        assertTrue(scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
    }

    @Test
    void everyStepOfTheRoutesThatRanIsTimedUnderItsOwnId() {
        Set<String> timed = scrape.labelValues("camel_message_history_seconds_count", "nodeId");
        List<String> expected = List.of("list-unseen-objects", "each-new-object", "record-object", "seal-ready-datasets",
                "any-new-jobs", "log-new-jobs", "run-component-checks", "measure-buckets", "claim-job-1", "has-job-1",
                "run-job-1", "preprocessing", "feature-extraction", "fail-job", "preprocessing-pending", "preprocessing-begin",
                "preprocessing-execute", "preprocessing-finish", "feature-extraction-begin", "feature-extraction-execute",
                "feature-extraction-finish",
                "jobs-list-handle", "jobs-get-handle", "health-handle");
        for (String node : expected) {
            assertTrue(timed.contains(node), "no timer for step " + node + "; timed: " + timed);
        }
        assertTrue(scrape.has("camel_route_policy_seconds_count", Map.of("routeId", "stage-preprocessing")));
    }

    @Test
    void everyRouteStepHasAnIdOfItsOwn() {
        List<String> generated = new ArrayList<>();
        for (RouteDefinition route : ((ModelCamelContext) service.context()).getRouteDefinitions()) {
            if (route.getRouteId().startsWith("rest-") || route.getId().startsWith("route")) {
                continue;
            }
            collect(route.getRouteId(), route.getOutputs(), generated);
        }
        assertTrue(generated.isEmpty(), "steps without an explicit id (their timers would be named by counter): " + generated);
    }

    @Test
    void noLabelIsUnbounded() {
        for (String line : scrape.lines()) {
            assertFalse(line.matches(".*\"job_[0-9a-f]{12}\".*"), "a job id became a label: " + line);
            assertFalse(line.contains("SELECT") || line.contains("INSERT"), "SQL text became a label: " + line);
            assertFalse(line.contains("endpointName="), "the exchange event notifier is off: " + line);
        }
    }

    @Test
    void observeMetricsOnTheMainPortToo() throws Exception {
        HttpResponse<String> observe = service.get("/observe/metrics");
        assertEquals(200, observe.statusCode());
        assertTrue(observe.body().contains("reconstruction_total"));
    }

    @Test
    void metricsCanBeTurnedOff() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-nometrics"), Database.H2);
        settings.put("e2e3d.metrics.enabled", "false");
        settings.put("e2e3d.workers", "0");
        try (RunningService quiet = RunningService.start(settings)) {
            int port = Integer.parseInt(settings.get("e2e3d.metrics.port"));
            try (Socket socket = new Socket("127.0.0.1", port)) {
                fail("something listens on the metrics port " + port + " with ENABLE_METRICS=false");
            } catch (java.io.IOException expected) {
                // nothing listens
            }
        }
    }

    private static void collect(String routeId, List<ProcessorDefinition<?>> outputs, List<String> generated) {
        for (ProcessorDefinition<?> node : outputs) {
            if (!node.hasCustomIdAssigned() && !isStructural(node)) {
                generated.add(routeId + "/" + node.getShortName() + ":" + node.getId());
            }
            collect(routeId, node.getOutputs(), generated);
        }
    }

    /** Branch holders, error clauses and endings: not steps of their own (the steps inside them have ids). */
    private static boolean isStructural(ProcessorDefinition<?> node) {
        return Set.of("when", "otherwise", "doCatch", "doFinally", "end", "onException").contains(node.getShortName());
    }

    private void put(String key, byte[] bytes) {
        service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(bytes));
    }

    /** Prometheus text format, parsed just enough to look series up by name and labels. */
    record Scrape(List<String> lines, Map<String, String> types) {

        static Scrape of(String text) {
            List<String> samples = new ArrayList<>();
            Map<String, String> types = new java.util.HashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    types.put(parts[2], parts[3]);
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    samples.add(line);
                }
            }
            return new Scrape(samples, types);
        }

        void assertType(String name, String type) {
            assertEquals(type, types.get(name), "# TYPE of " + name);
        }

        boolean has(String name, Map<String, String> labels) {
            return lines.stream().anyMatch(l -> matches(l, name, labels));
        }

        double sum(String name, Map<String, String> labels) {
            if (!has(name, labels)) {
                fail("no series " + name + labels);
            }
            return lines.stream().filter(l -> matches(l, name, labels))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }

        Set<String> labelValues(String name, String label) {
            Set<String> values = new TreeSet<>();
            for (String line : lines) {
                if (line.startsWith(name + "{")) {
                    int at = line.indexOf(label + "=\"");
                    if (at >= 0) {
                        int start = at + label.length() + 2;
                        values.add(line.substring(start, line.indexOf('"', start)));
                    }
                }
            }
            return values;
        }

        private static boolean matches(String line, String name, Map<String, String> labels) {
            if (!(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                return false;
            }
            return labels.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue() + "\""));
        }
    }
}
