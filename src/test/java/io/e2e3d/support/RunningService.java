package io.e2e3d.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.Application;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole service, started in this JVM the way Application starts it (Camel Main, application.properties,
 * the YAML routes in ./routes), on free ports, over a data folder of the test's own. Tests talk to it as a
 * user would: HTTP to the API and S3 to the embedded store.
 */
public final class RunningService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> settings;
    private final int httpPort;
    private final int s3Port;
    private Main main;
    private S3Client s3;

    private RunningService(Map<String, String> settings, int httpPort, int s3Port) {
        this.settings = settings;
        this.httpPort = httpPort;
        this.s3Port = s3Port;
    }

    /** Fast polling and a short quiet period, so tests wait seconds, not minutes. */
    public static Map<String, String> testSettings(Path dataDir, Database database) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("e2e3d.data-dir", dataDir.toString());
        s.put("e2e3d.http-port", Integer.toString(Ports.free()));
        s.put("e2e3d.s3.embedded-port", Integer.toString(Ports.free()));
        s.put("e2e3d.metrics.port", Integer.toString(Ports.free()));
        s.put("e2e3d.ingest.poll-ms", "300");
        s.put("e2e3d.queue.poll-ms", "300");
        s.put("e2e3d.ingest.quiet-seconds", "3");
        s.put("e2e3d.health.cron", "0/2 * * * * ?");
        s.put("e2e3d.storage.measure-seconds", "2");
        s.put("e2e3d.routes", "file:routes/*.yaml");
        s.putAll(database.settings());
        return s;
    }

    public static RunningService start(Map<String, String> settings) throws Exception {
        RunningService service = new RunningService(settings, Integer.parseInt(settings.get("e2e3d.http-port")),
                Integer.parseInt(settings.get("e2e3d.s3.embedded-port")));
        service.startAgain();
        return service;
    }

    /** Starts (again, after {@link #stop()}) over the same data folder and database. */
    public void startAgain() throws Exception {
        main = new Main(Application.class);
        settings.forEach(main::addOverrideProperty);
        main.start();
        if (s3 == null) {
            s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + s3Port)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            settings.getOrDefault("e2e3d.s3.access-key", "e2e3d"),
                            settings.getOrDefault("e2e3d.s3.secret-key", "e2e3d-local-secret"))))
                    .forcePathStyle(true).build();
        }
        await(Duration.ofSeconds(30), () -> {
            try {
                return get("/observe/health/live").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }, "the service to answer /observe/health/live");
    }

    public void stop() throws Exception {
        if (main != null) {
            main.stop();
            main = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        if (s3 != null) {
            s3.close();
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public S3Client s3() {
        return s3;
    }

    public Map<String, String> settings() {
        return settings;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path).body());
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** The job as the API shows it, once it has finished (completed, failed or canceled). */
    public JsonNode awaitFinished(String jobId, Duration timeout) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await(timeout, () -> {
            try {
                last[0] = getJson("/api/jobs/" + jobId);
                String status = last[0].path("status").asText();
                return status.equals("completed") || status.equals("failed") || status.equals("canceled");
            } catch (Exception e) {
                return false;
            }
        }, "job " + jobId + " to finish");
        return last[0];
    }

    /** Polls a condition until it holds; the message names what was awaited when it never does. */
    /** The jobs whose prefix is {@code prefix} (for example "scan-01/"), among the newest 500. */
    public List<JsonNode> jobsWithPrefix(String prefix) throws IOException, InterruptedException {
        List<JsonNode> jobs = new ArrayList<>();
        for (JsonNode job : getJson("/api/jobs?limit=500").path("jobs")) {
            if (job.path("prefix").asText().equals(prefix)) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    /** Waits for a job with this prefix to appear and asserts it is the only one. */
    public JsonNode awaitSingleJob(String prefix, Duration timeout) throws InterruptedException {
        List<List<JsonNode>> found = new ArrayList<>();
        await(timeout, () -> {
            try {
                found.add(jobsWithPrefix(prefix));
                return !found.get(found.size() - 1).isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, "a job for " + prefix);
        List<JsonNode> jobs = found.get(found.size() - 1);
        if (jobs.size() != 1) {
            throw new AssertionError("exactly one job for " + prefix + " expected, found " + jobs.size() + ": " + jobs);
        }
        return jobs.get(0);
    }

    public static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }
}
