package io.e2e3d.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.support.Database;
import io.e2e3d.support.FaultProxy;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The link to PostgreSQL is cut: the API answers 503 with a JSON error (never 500), readiness and /api/health
 * say the database is down, photos dropped meanwhile wait in the bucket; once the link is back the service is
 * healthy and those photos become their job, once.
 */
class DatabaseCutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aDatabaseCutAnswers503MeanwhileAndLosesNothing() throws Exception {
        Map<String, String> settings = RunningService.testSettings(dir, Database.POSTGRESQL);
        URI server = URI.create(settings.get("e2e3d.db.url").substring("jdbc:".length()));
        try (FaultProxy link = FaultProxy.to(server.getPort())) {
            settings.put("e2e3d.db.url", settings.get("e2e3d.db.url").replace(":" + server.getPort() + "/", ":" + link.port() + "/"));
            settings.put("e2e3d.workers", "0");
            settings.put("e2e3d.db.connection-timeout-ms", "2000");
            settings.put("e2e3d.retry.delay-ms", "200");
            settings.put("e2e3d.retry.max-delay-ms", "3000");
            try (RunningService service = RunningService.start(settings)) {
                RunningService.await(Duration.ofSeconds(20), () -> status(service, "/observe/health/ready") == 200, "ready");

                link.cut();
                for (int i = 0; i < 6; i++) {
                    int n = i;
                    service.s3().putObject(b -> b.bucket("input").key("during-cut/img_" + n + ".jpg"),
                            RequestBody.fromBytes(TestImages.textured(160, 120, 700 + n, "jpg")));
                }
                service.s3().putObject(b -> b.bucket("input").key("during-cut/_READY"), RequestBody.empty());

                assertServiceUnavailable(service.get("/api/jobs"));
                assertServiceUnavailable(service.get("/api/jobs/job_0123456789ab"));
                assertServiceUnavailable(service.postJson("/api/jobs", "{\"prefix\": \"during-cut\"}"));
                RunningService.await(Duration.ofSeconds(20), () -> status(service, "/observe/health/ready") == 503,
                        "readiness to report the database down");
                JsonNode health = JSON.readTree(service.get("/api/health").body());
                assertEquals("unhealthy", health.path("components").path("database").asText(), health.toString());
                Thread.sleep(8_000); // the watcher keeps retrying meanwhile

                link.restore();
                RunningService.await(Duration.ofSeconds(60), () -> status(service, "/observe/health/ready") == 200,
                        "readiness once the database is back");
                RunningService.await(Duration.ofSeconds(60), () -> total(service) == 1, "the photos dropped during the cut to become a job");
                JsonNode job = service.getJson("/api/jobs").path("jobs").get(0);
                assertEquals("during-cut/", job.path("prefix").asText());
                assertEquals(6, job.path("image_count").asInt());
                assertEquals("healthy", JSON.readTree(service.get("/api/health").body()).path("components").path("database").asText());
                Thread.sleep(3_000);
                assertEquals(1, total(service), "one job, once");
            }
        }
    }

    private static void assertServiceUnavailable(HttpResponse<String> response) throws Exception {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertFalse(JSON.readTree(response.body()).path("error").asText().isBlank(), response.body());
    }

    private static int status(RunningService service, String path) {
        try {
            return service.get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int total(RunningService service) {
        try {
            return service.getJson("/api/jobs").path("total").asInt(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
