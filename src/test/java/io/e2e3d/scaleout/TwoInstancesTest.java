package io.e2e3d.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.engine.synthetic.SyntheticScene;
import io.e2e3d.support.Database;
import io.e2e3d.support.Ports;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.ServiceProcess;
import io.e2e3d.support.StandaloneS3;
import io.e2e3d.support.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Two instances of the service (two JVMs) in external mode on one PostgreSQL and one S3: they share the
 * ingest without making a job twice, claim jobs without running one twice, and when one is killed in the
 * middle of a job the other takes the job over and finishes it. Their workspaces are on one shared folder
 * (E2E3D_DATA_DIR), as on a shared volume, so the takeover resumes after the last completed stage.
 */
class TwoInstancesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String API_KEY = "scale-out-test-key";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoInstancesShareIngestAndJobsAndOneFinishesTheJobOfTheOtherAfterAKill() throws Exception {
        Map<String, String> database = Database.POSTGRESQL.settings();
        try (StandaloneS3 s3 = new StandaloneS3(dir.resolve("s3"))) {
            s3.client().createBucket(b -> b.bucket("input"));
            s3.client().createBucket(b -> b.bucket("output"));
            Path shared = Files.createDirectories(dir.resolve("shared-data"));
            String a = start("a", s3, database, shared);
            String b = start("b", s3, database, shared);

            // 10 datasets x 20 photos dropped at once: blobs of colour, so each job fails fast in the engine
            ExecutorService uploads = Executors.newFixedThreadPool(8);
            List<Future<?>> puts = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                for (int i = 0; i < 20; i++) {
                    String key = "set-" + d + "/img_" + i + ".jpg";
                    long seed = d * 100L + i;
                    puts.add(uploads.submit(() -> s3.client().putObject(r -> r.bucket("input").key(key),
                            RequestBody.fromBytes(TestImages.textured(120, 90, seed, "jpg")))));
                }
            }
            for (Future<?> put : puts) {
                put.get();
            }
            for (int d = 0; d < 10; d++) {
                String key = "set-" + d + "/_READY";
                s3.client().putObject(r -> r.bucket("input").key(key), RequestBody.empty());
            }
            uploads.shutdown();

            RunningService.await(Duration.ofMinutes(6), () -> finished(a) == 10, "the 10 jobs to finish");
            JsonNode list = get(a + "/api/jobs?limit=100");
            assertEquals(10, list.path("total").asInt(), "exactly one job per dataset: " + list);
            Set<String> prefixes = new HashSet<>();
            Set<String> instances = new HashSet<>();
            for (JsonNode job : list.path("jobs")) {
                assertTrue(prefixes.add(job.path("prefix").asText()), "two jobs for " + job.path("prefix").asText());
                assertEquals(20, job.path("image_count").asInt(), job.toString());
                assertEquals(1, job.path("attempts").asInt(), "run once: " + job);
                instances.add(job.path("worker").asText().split("/")[0]);
            }
            assertEquals(Set.of("instance-a", "instance-b"), instances, "both instances ran jobs");
            assertEquals(list.path("jobs").toString(), get(b + "/api/jobs?limit=100").path("jobs").toString(),
                    "both instances see the same jobs");

            // a real photo set, reconstructed; the instance running it is killed after three stages
            SyntheticScene scene = new SyntheticScene(42);
            List<SyntheticScene.Camera> cameras = SyntheticScene.orbit(16, 15, 4.2, 2.6, 320, 240, 260);
            for (int i = 0; i < cameras.size(); i++) {
                byte[] png = TestImages.encode(scene.render(cameras.get(i)), "png");
                String key = "orbit/view_" + i + ".png";
                s3.client().putObject(r -> r.bucket("input").key(key), RequestBody.fromBytes(png));
            }
            s3.client().putObject(r -> r.bucket("input").key("orbit/_READY"), RequestBody.empty());
            JsonNode[] running = new JsonNode[1];
            RunningService.await(Duration.ofMinutes(5), () -> {
                running[0] = orbitJob(a);
                return running[0] != null && completedStages(a, running[0].path("id").asText()).size() >= 3;
            }, "the orbit job to complete three stages");
            String id = running[0].path("id").asText();
            Map<String, String> doneBeforeKill = completedStages(a, id);
            String victim = get(a + "/api/jobs/" + id).path("worker").asText().split("/")[0];
            Process killed = processes.get(victim.equals("instance-a") ? 0 : 1);
            killed.destroyForcibly();
            killed.waitFor(30, TimeUnit.SECONDS);
            String survivor = victim.equals("instance-a") ? b : a;

            JsonNode[] done = new JsonNode[1];
            RunningService.await(Duration.ofMinutes(8), () -> {
                done[0] = get(survivor + "/api/jobs/" + id);
                return done[0] != null && List.of("completed", "failed", "canceled").contains(done[0].path("status").asText());
            }, "the surviving instance to finish the job");
            assertEquals("completed", done[0].path("status").asText(), done[0].toString());
            assertEquals(2, done[0].path("attempts").asInt());
            assertNotEquals(victim, done[0].path("worker").asText().split("/")[0], "the other instance finished it");
            assertEquals(16, done[0].path("registered_views").asInt());
            Map<String, String> after = completedStages(survivor, id);
            doneBeforeKill.forEach((stage, startedAt) -> assertEquals(startedAt, after.get(stage), stage + " was not redone"));
            assertEquals(11, get(survivor + "/api/jobs?limit=100").path("total").asInt(), "no job made twice");
        }
    }

    private String start(String name, StandaloneS3 s3, Map<String, String> database, Path shared) throws Exception {
        int http = Ports.free();
        ProcessBuilder builder = ServiceProcess.builder(dir, name + ".log");
        Map<String, String> env = new HashMap<>(Map.of(
                "E2E3D_HTTP_PORT", Integer.toString(http),
                "E2E3D_METRICS_PORT", Integer.toString(Ports.free()),
                "E2E3D_INSTANCE_ID", "instance-" + name,
                "E2E3D_DATA_DIR", shared.toString(),
                "E2E3D_S3_ENDPOINT", s3.endpoint().toString(),
                "E2E3D_DB_URL", database.get("e2e3d.db.url"),
                "E2E3D_DB_USER", database.get("e2e3d.db.user"),
                "E2E3D_DB_PASSWORD", database.get("e2e3d.db.password"),
                "E2E3D_API_KEY", API_KEY));
        env.putAll(Map.of("E2E3D_INGEST_POLL_MS", "300", "E2E3D_QUEUE_POLL_MS", "300", "E2E3D_INGEST_QUIET_SECONDS", "3",
                "E2E3D_HEARTBEAT_SECONDS", "1", "E2E3D_HEALTH_CRON", "0/2 * * * * ?"));
        builder.environment().putAll(env);
        processes.add(builder.start());
        String base = "http://127.0.0.1:" + http;
        RunningService.await(Duration.ofSeconds(90), () -> get(base + "/observe/health/live") != null, "instance " + name + " to start");
        return base;
    }

    private static int finished(String base) {
        JsonNode list = get(base + "/api/jobs?limit=100");
        if (list == null) {
            return -1;
        }
        int n = 0;
        for (JsonNode job : list.path("jobs")) {
            n += List.of("completed", "failed", "canceled").contains(job.path("status").asText()) ? 1 : 0;
        }
        return n;
    }

    private static JsonNode orbitJob(String base) {
        JsonNode list = get(base + "/api/jobs?limit=100");
        if (list != null) {
            for (JsonNode job : list.path("jobs")) {
                if (job.path("prefix").asText().equals("orbit/")) {
                    return job;
                }
            }
        }
        return null;
    }

    private static Map<String, String> completedStages(String base, String id) {
        Map<String, String> completed = new HashMap<>();
        JsonNode job = get(base + "/api/jobs/" + id);
        if (job != null) {
            for (JsonNode stage : job.path("stages")) {
                if (stage.path("status").asText().equals("completed")) {
                    completed.put(stage.path("name").asText(), stage.path("started_at").asText());
                }
            }
        }
        return completed;
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
