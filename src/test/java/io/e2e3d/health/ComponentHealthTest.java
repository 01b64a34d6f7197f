package io.e2e3d.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.e2e3d.storage.EmbeddedObjectStore;
import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The object store goes away and comes back: every health view says so within one check interval. */
class ComponentHealthTest {

    @Test
    void objectStoreOutageShowsInEveryHealthViewAndRecovers() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-health"), Database.H2);
        settings.put("e2e3d.workers", "0");
        try (RunningService service = RunningService.start(settings)) {
            EmbeddedObjectStore store = service.context().hasService(EmbeddedObjectStore.class);
            awaitMinio(service, "healthy");
            assertEquals(200, service.get("/observe/health/ready").statusCode());
            assertEquals("1.0", componentUp(service, "minio"));

            store.stop();
            awaitMinio(service, "unhealthy");
            HttpResponse<String> health = service.get("/api/health");
            assertEquals(500, health.statusCode());
            assertEquals("unhealthy", RunningService.json(health).path("status").asText());
            assertEquals("healthy", RunningService.json(health).path("components").path("database").asText());
            HttpResponse<String> ready = service.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals(200, service.get("/observe/health/live").statusCode(), "alive, just not ready");
            assertEquals("0.0", componentUp(service, "minio"));
            assertTrue(service.getJson("/api/jobs").has("jobs"), "the API still answers from the database");

            store.start();
            awaitMinio(service, "healthy");
            assertEquals(200, service.get("/observe/health/ready").statusCode());
            assertEquals("1.0", componentUp(service, "minio"));
        }
    }

    private static void awaitMinio(RunningService service, String state) throws InterruptedException {
        // the checks run every 2 s in tests (every 15 s by default): allow a few intervals
        RunningService.await(Duration.ofSeconds(15), () -> {
            try {
                JsonNode health = service.getJson("/api/health");
                return health.path("components").path("minio").asText().equals(state);
            } catch (Exception e) {
                return false;
            }
        }, "minio to be " + state);
    }

    private static String componentUp(RunningService service, String component) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + service.settings().get("e2e3d.metrics.port") + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String prefix = "e2e3d_component_up{component=\"" + component + "\"} ";
        return text.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst().orElse("absent");
    }
}
