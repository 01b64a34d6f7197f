package io.e2e3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.support.Ports;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.ServiceProcess;
import io.e2e3d.support.TestImages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first run: the service started in an empty folder with no configuration at all creates its
 * embedded store and database there, answers its health check, and turns copied-in photos into a job.
 * It runs as a child JVM, as `java -jar` would. When a default port (8080, 9000, 9101) is taken on this
 * machine, only the ports are moved, through their environment variables.
 */
class EmbeddedModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void startsWithNoConfigurationInAnEmptyFolder() throws Exception {
        int http = 8080;
        ProcessBuilder builder = ServiceProcess.builder(workDir, "service.log");
        Map<String, String> env = builder.environment();
        if (!free(8080) || !free(9000) || !free(9101)) {
            http = Ports.free();
            env.put("E2E3D_HTTP_PORT", Integer.toString(http));
            env.put("E2E3D_S3_EMBEDDED_PORT", Integer.toString(Ports.free()));
            env.put("E2E3D_METRICS_PORT", Integer.toString(Ports.free()));
        }
        env.put("E2E3D_INGEST_QUIET_SECONDS", "30"); // the default, stated: the marker below seals the set anyway
        Process process = builder.start();
        try {
            String base = "http://127.0.0.1:" + http;
            HttpClient client = HttpClient.newHttpClient();
            RunningService.await(Duration.ofSeconds(60), () -> status(client, base + "/observe/health/ready") == 200,
                    "the service to be ready");
            JsonNode health = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("healthy", health.path("components").path("database").asText(), health.toString());
            assertEquals("healthy", health.path("components").path("minio").asText(), health.toString());
            assertTrue(Files.isDirectory(workDir.resolve("data/s3/input")), "input bucket is a folder under ./data/s3");
            assertTrue(Files.isDirectory(workDir.resolve("data/s3/output")), "output bucket is a folder under ./data/s3");
            assertTrue(Files.list(workDir.resolve("data/db")).anyMatch(p -> p.getFileName().toString().endsWith(".mv.db")),
                    "H2 database file under ./data/db");
            String log = Files.readString(workDir.resolve("service.log"));
            assertTrue(log.contains("access key 'e2e3d'"), "the default credentials are logged at start");

            Path dataset = Files.createDirectories(workDir.resolve("data/s3/input/first-scan"));
            for (int i = 0; i < 5; i++) {
                Files.write(dataset.resolve("IMG_" + i + ".jpg"), TestImages.textured(320, 240, i, "jpg"));
            }
            Files.write(dataset.resolve("_READY"), new byte[0]);
            List<JsonNode> jobs = new ArrayList<>();
            RunningService.await(Duration.ofSeconds(30), () -> {
                try {
                    JsonNode list = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    jobs.clear();
                    list.path("jobs").forEach(jobs::add);
                    return !jobs.isEmpty();
                } catch (Exception e) {
                    return false;
                }
            }, "the copied photos to become a job");
            assertEquals(1, jobs.size());
            assertEquals("first-scan/", jobs.get(0).path("prefix").asText());
            assertEquals(5, jobs.get(0).path("image_count").asInt());
        } finally {
            process.destroy(); // SIGTERM: Camel Main shuts down cleanly
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the service stops on SIGTERM");
        }
        String log = Files.readString(workDir.resolve("service.log"));
        assertTrue(log.contains("is shutdown"), "clean shutdown logged");
    }

    private static int status(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
