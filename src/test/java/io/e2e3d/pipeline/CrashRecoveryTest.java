package io.e2e3d.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.engine.synthetic.SyntheticScene;
import io.e2e3d.support.Ports;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.ServiceProcess;
import io.e2e3d.support.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service process is killed (kill -9) in the middle of a stage and started again over the same data: the
 * job completes, once, and the stages finished before the crash are not done again.
 */
class CrashRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void aJobSurvivesAKill9MidStageWithoutRedoingFinishedStages() throws Exception {
        int http = Ports.free();
        Map<String, String> env = new HashMap<>(Map.of(
                "E2E3D_HTTP_PORT", Integer.toString(http),
                "E2E3D_S3_EMBEDDED_PORT", Integer.toString(Ports.free()),
                "E2E3D_METRICS_PORT", Integer.toString(Ports.free()),
                "E2E3D_INGEST_POLL_MS", "300",
                "E2E3D_QUEUE_POLL_MS", "300",
                "E2E3D_HEARTBEAT_SECONDS", "1"));
        String base = "http://127.0.0.1:" + http;
        Path dataset = Files.createDirectories(workDir.resolve("data/s3/input/crash-orbit"));
        SyntheticScene scene = new SyntheticScene(42);
        List<SyntheticScene.Camera> cameras = SyntheticScene.orbit(16, 15, 4.2, 2.6, 320, 240, 260);
        for (int i = 0; i < cameras.size(); i++) {
            Files.write(dataset.resolve(String.format("view_%03d.png", i)), TestImages.encode(scene.render(cameras.get(i)), "png"));
        }

        Process first = start(env, "first.log");
        String id;
        Map<String, String> startedBeforeCrash = new HashMap<>();
        try {
            awaitUp(base);
            Files.write(dataset.resolve("_READY"), new byte[0]);
            String[] found = new String[1];
            // kill while sparse reconstruction or a later stage runs, after the first stages are done
            RunningService.await(Duration.ofMinutes(5), () -> {
                JsonNode job = firstJob(base);
                if (job == null) {
                    return false;
                }
                found[0] = job.path("id").asText();
                JsonNode detail = get(base + "/api/jobs/" + found[0]);
                int completed = 0;
                for (JsonNode stage : detail.path("stages")) {
                    if (stage.path("status").asText().equals("completed")) {
                        completed++;
                        startedBeforeCrash.put(stage.path("name").asText(), stage.path("started_at").asText());
                    }
                }
                return completed >= 3;
            }, "three stages to complete");
            id = found[0];
        } finally {
            first.destroyForcibly(); // kill -9: no shutdown hook, no hand-back
            first.waitFor(30, TimeUnit.SECONDS);
        }

        Process second = start(env, "second.log");
        try {
            awaitUp(base);
            JsonNode[] done = new JsonNode[1];
            RunningService.await(Duration.ofMinutes(8), () -> {
                done[0] = get(base + "/api/jobs/" + id);
                String status = done[0] == null ? "" : done[0].path("status").asText();
                return status.equals("completed") || status.equals("failed") || status.equals("canceled");
            }, "the job to finish after the restart");
            JsonNode job = done[0];
            assertEquals("completed", job.path("status").asText(), job.toString());
            assertEquals(2, job.path("attempts").asInt(), "claimed again once, after its heartbeat went stale");
            assertEquals(16, job.path("registered_views").asInt());
            for (JsonNode stage : job.path("stages")) {
                String before = startedBeforeCrash.get(stage.path("name").asText());
                if (before != null) {
                    assertEquals(before, stage.path("started_at").asText(), stage.path("name").asText() + " was not redone");
                }
            }
            assertEquals(1, get(base + "/api/jobs").path("total").asInt(), "one job, once");
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Process start(Map<String, String> env, String log) throws Exception {
        ProcessBuilder builder = ServiceProcess.builder(workDir, log);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitUp(String base) throws InterruptedException {
        RunningService.await(Duration.ofSeconds(60), () -> get(base + "/observe/health/live") != null, "the service to start");
    }

    private static JsonNode firstJob(String base) {
        JsonNode list = get(base + "/api/jobs");
        return list == null || list.path("jobs").isEmpty() ? null : list.path("jobs").get(0);
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
