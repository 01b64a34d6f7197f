package io.e2e3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.e2e3d.support.Ports;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.ServiceProcess;
import io.e2e3d.support.TestImages;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * E2E3D_LOG_FORMAT=json and an OTLP endpoint, as an operator sets them: every log line of a job is one JSON
 * object carrying job_id, route, stage and trace_id, and the spans reach the OTLP receiver.
 */
class LogsAndTracingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void jobLogLinesAreJsonWithJobStageRouteAndTraceAndSpansAreExported() throws Exception {
        List<byte[]> exports = new CopyOnWriteArrayList<>();
        HttpServer otlp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otlp.createContext("/v1/traces", exchange -> {
            exports.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        otlp.start();
        int http = Ports.free();
        ProcessBuilder builder = ServiceProcess.builder(workDir, "service.log");
        Map<String, String> env = builder.environment();
        env.put("E2E3D_HTTP_PORT", Integer.toString(http));
        env.put("E2E3D_S3_EMBEDDED_PORT", Integer.toString(Ports.free()));
        env.put("E2E3D_METRICS_PORT", Integer.toString(Ports.free()));
        env.put("E2E3D_INGEST_POLL_MS", "300");
        env.put("E2E3D_LOG_FORMAT", "json");
        env.put("E2E3D_OTLP_ENDPOINT", "http://127.0.0.1:" + otlp.getAddress().getPort());
        Process process = builder.start();
        String jobId;
        try {
            String base = "http://127.0.0.1:" + http;
            HttpClient client = HttpClient.newHttpClient();
            RunningService.await(Duration.ofSeconds(60), () -> get(client, base + "/observe/health/live") != null, "the service");
            Path dataset = Files.createDirectories(workDir.resolve("data/s3/input/logged"));
            for (int i = 0; i < 5; i++) {
                Files.write(dataset.resolve("IMG_" + i + ".png"), TestImages.textured(200, 150, i, "png"));
            }
            Files.write(dataset.resolve("_READY"), new byte[0]);
            List<String> ids = new ArrayList<>();
            RunningService.await(Duration.ofSeconds(60), () -> {
                String body = get(client, base + "/api/jobs?status=failed");
                try {
                    JsonNode jobs = body == null ? null : JSON.readTree(body).path("jobs");
                    if (jobs != null && jobs.size() == 1) {
                        ids.add(jobs.get(0).path("id").asText());
                        return true;
                    }
                } catch (Exception e) {
                    // not yet
                }
                return false;
            }, "the job to end");
            jobId = ids.get(0);
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
            otlp.stop(0);
        }

        List<JsonNode> jobLines = new ArrayList<>();
        int jsonLines = 0;
        for (String line : Files.readAllLines(workDir.resolve("service.log"))) {
            if (!line.startsWith("{")) {
                continue; // a library printing to stderr directly, outside the logging system
            }
            JsonNode entry = JSON.readTree(line);
            jsonLines++;
            if (entry.path("message").asText().contains(jobId) || jobId.equals(entry.path("job_id").asText())) {
                jobLines.add(entry);
            }
        }
        assertTrue(jsonLines > 20, "log lines are JSON objects");
        assertTrue(jobLines.size() >= 3, "the job logged its claim, its stages and its end: " + jobLines);
        for (JsonNode entry : jobLines) {
            if (entry.path("logger").asText().endsWith("IngestLedger") || entry.path("route").asText().equals("ingest-s3")) {
                continue; // the line that created the job, logged by ingest before any worker ran it
            }
            assertEquals(jobId, entry.path("job_id").asText(), entry.toString());
            assertFalse(entry.path("route").asText().isEmpty(), "route in " + entry);
            assertTrue(entry.path("trace_id").asText().matches("[0-9a-f]{32}"), "trace_id in " + entry);
        }
        assertTrue(jobLines.stream().anyMatch(e -> e.path("stage").asText().equals("feature_extraction")),
                "a line inside a stage names it: " + jobLines);

        assertFalse(exports.isEmpty(), "spans were exported over OTLP");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        exports.forEach(all::writeBytes);
        String payload = all.toString(StandardCharsets.ISO_8859_1);
        assertTrue(payload.contains("e2e3d-flow"), "service name in the exported resource");
        assertTrue(payload.contains("stage-preprocessing"), "the stage routes are traced");
    }

    private static String get(HttpClient client, String url) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
