package io.e2e3d.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.job.JobIds;
import io.e2e3d.job.JobOptions;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.JobStatus;
import io.e2e3d.job.NewJob;
import io.e2e3d.support.Database;
import io.e2e3d.support.Multipart;
import io.e2e3d.support.Ports;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Webhooks of ended jobs, as a receiver sees them: one delivery per job whatever the receiver answered
 * before, across a restart of the service, and none after the last attempt. Run on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebhookTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final String SECRET = "test-webhook-secret";
    private static final int MAX_ATTEMPTS = 5;

    RunningService service;

    abstract Database database();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-webhook"), database());
        settings.put("e2e3d.webhook.poll-ms", "200");
        settings.put("e2e3d.webhook.backoff-seconds", "1");
        settings.put("e2e3d.webhook.timeout-seconds", "2");
        settings.put("e2e3d.webhook.max-attempts", Integer.toString(MAX_ATTEMPTS));
        settings.put("e2e3d.webhook.secret", SECRET);
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void completedJobIsDeliveredOnceWithFreshLinksAfterTheReceiverFailedTwice() throws Exception {
        try (Receiver receiver = Receiver.failingFirst(Ports.free(), 2)) {
            byte[] model = "ply\nformat ascii 1.0\nend_header\n".getBytes(StandardCharsets.US_ASCII);
            String id = completedJob(receiver.url("/hooks/completed"), model);
            awaitOutboxStatus(id, "delivered");

            List<Receiver.Request> requests = receiver.requests();
            assertEquals(List.of(503, 503, 200), requests.stream().map(Receiver.Request::answered).toList());
            assertEquals(1, requests.stream().map(Receiver.Request::deliveryId).distinct().count(),
                    "every attempt carries the same delivery id");
            Receiver.Request last = requests.get(2);
            assertEquals("application/json", last.contentType());
            assertEquals(WebhookSignature.of(SECRET.getBytes(StandardCharsets.UTF_8), last.body()), last.signature());

            JsonNode body = JSON.readTree(last.body());
            assertEquals(List.of("job_id", "status", "timestamp", "results"), fieldNames(body));
            assertEquals(id, body.path("job_id").asText());
            assertEquals("completed", body.path("status").asText());
            Instant.parse(body.path("timestamp").asText());
            JsonNode results = body.path("results");
            assertEquals(1234, results.path("point_count").asLong());
            assertEquals(567, results.path("mesh_face_count").asLong());
            assertEquals(6, results.path("registered_views").asInt());
            Map<String, JsonNode> files = new HashMap<>();
            results.path("files").forEach(f -> files.put(f.path("name").asText(), f));
            assertEquals(2, files.size(), results.toString());
            JsonNode ply = files.get("model.ply");
            assertEquals("ply", ply.path("type").asText());
            assertEquals(model.length, ply.path("size").asLong());
            HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(ply.path("url").asText())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode(), "the presigned link downloads the file");
            assertArrayEquals(model, download.body());

            Thread.sleep(1_500); // several polls: a delivered row is never claimed again
            assertEquals(3, receiver.requests().size());
            assertEquals(3, outbox(id).get("attempts"));
        }
    }

    @Test
    void jobFailedByThePipelineSendsItsErrorOnce() throws Exception {
        try (Receiver receiver = Receiver.failingFirst(Ports.free(), 1)) {
            Multipart form = new Multipart().field("notify_url", receiver.url("/hooks/failed"));
            for (int i = 0; i < 3; i++) {
                form.file("photo" + i, "IMG_" + i + ".png", "image/png", TestImages.textured(200, 150, 40 + i, "png"));
            }
            HttpResponse<String> created = service.post("/api/jobs", form.contentType(), form.bytes());
            assertEquals(201, created.statusCode(), created.body());
            String id = RunningService.json(created).path("id").asText();
            assertEquals("failed", service.awaitFinished(id, GENEROUS).path("status").asText());
            awaitOutboxStatus(id, "delivered");

            assertEquals(1, receiver.delivered());
            JsonNode body = JSON.readTree(receiver.requests().get(receiver.requests().size() - 1).body());
            assertEquals("failed", body.path("status").asText());
            assertEquals("too_few_images", body.path("results").path("error_type").asText());
            assertTrue(body.path("results").path("error_message").asText().contains("at least 5"), body.toString());
            assertFalse(body.path("results").has("files"));
        }
    }

    @Test
    void queuedJobCanceledIsNotifiedAndAJobWithoutUrlIsNot() throws Exception {
        try (Receiver receiver = Receiver.failingFirst(Ports.free(), 0)) {
            JobRepository jobs = jobs();
            String id = JobIds.next();
            String quiet = JobIds.next();
            // queued and canceled in one transaction, so no worker claims it in between
            jobs.transactions().executeWithoutResult(tx -> {
                jobs.insertInCurrentTransaction(newJob(id, receiver.url("/hooks/canceled")), "output");
                jobs.insertInCurrentTransaction(newJob(quiet, null), "output");
                assertEquals(JobRepository.CancelOutcome.CANCELED, jobs.cancel(id));
                assertEquals(JobRepository.CancelOutcome.CANCELED, jobs.cancel(quiet));
            });
            awaitOutboxStatus(id, "delivered");
            JsonNode body = JSON.readTree(receiver.requests().get(0).body());
            assertEquals("canceled", body.path("status").asText());
            assertEquals("canceled before it started", body.path("results").path("error_message").asText());
            assertEquals(0, jdbc().queryForObject("SELECT COUNT(*) FROM webhook_outbox WHERE job_id = ?", Integer.class, quiet),
                    "no notify_url, no delivery");
        }
    }

    @Test
    void deliveryPendingAcrossARestartIsDeliveredOnceTheReceiverIsUp() throws Exception {
        int port = Ports.free(); // nothing listens here yet
        String id = completedJob("http://127.0.0.1:" + port + "/hooks/restart", new byte[] {1, 2, 3});
        RunningService.await(GENEROUS, () -> outbox(id).get("last_error") != null, "a first attempt to fail");
        assertEquals("pending", outbox(id).get("status"));

        service.stop();
        service.startAgain();
        try (Receiver receiver = Receiver.failingFirst(port, 0)) {
            awaitOutboxStatus(id, "delivered");
            Thread.sleep(1_500);
            assertEquals(1, receiver.requests().size(), "delivered once");
            assertEquals(id, JSON.readTree(receiver.requests().get(0).body()).path("job_id").asText());
        }
    }

    @Test
    void deliveryGivenUpAfterTheLastAttemptIsNotRetried() throws Exception {
        try (Receiver receiver = Receiver.on(Ports.free(), n -> 500)) {
            String id = completedJob(receiver.url("/hooks/broken"), new byte[] {7});
            awaitOutboxStatus(id, "failed");
            Map<String, Object> row = outbox(id);
            assertEquals(MAX_ATTEMPTS, row.get("attempts"));
            assertEquals("HTTP 500", row.get("last_error"));
            assertEquals(MAX_ATTEMPTS, receiver.requests().size());
            Thread.sleep(3_000); // longer than the backoff before the last attempt's successor would have been
            assertEquals(MAX_ATTEMPTS, receiver.requests().size(), "a failed delivery is not retried");

            String metrics = service.get("/observe/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("e2e3d_webhook_deliveries_total{outcome=\"failed\"") && !l.endsWith(" 0.0")),
                    "failed deliveries are counted");
            assertTrue(metrics.contains("e2e3d_webhook_outbox_pending"), "the pending gauge is exported");
        }
    }

    /** A job that completed with a model file and a report in the output bucket, as the pipeline leaves it. */
    private String completedJob(String notifyUrl, byte[] model) {
        String id = JobIds.next();
        service.s3().putObject(b -> b.bucket("output").key(id + "/model.ply"), RequestBody.fromBytes(model));
        service.s3().putObject(b -> b.bucket("output").key(id + "/report.json"), RequestBody.fromString("{}"));
        JobRepository jobs = jobs();
        // queued, taken by a worker and finished in one transaction, so no real worker claims it in between
        jobs.transactions().executeWithoutResult(tx -> {
            jobs.insertInCurrentTransaction(newJob(id, notifyUrl), "output");
            jobs.jdbc().update("UPDATE jobs SET status = 'running', worker = 'test/1' WHERE id = :id", Map.of("id", id));
            jobs.recordModel(id, 1234, 567, 6);
            assertTrue(jobs.finish(id, "test/1", JobStatus.COMPLETED, null, null));
        });
        return id;
    }

    private static NewJob newJob(String id, String notifyUrl) {
        return new NewJob(id, JobOptions.of(null, null, null, notifyUrl, "boofcv"), "api", "input", id + "/", List.of());
    }

    private void awaitOutboxStatus(String jobId, String status) throws InterruptedException {
        RunningService.await(GENEROUS, () -> status.equals(outbox(jobId).get("status")),
                "the webhook of " + jobId + " to be " + status);
    }

    private Map<String, Object> outbox(String jobId) {
        List<Map<String, Object>> rows = jdbc().queryForList(
                "SELECT status, attempts, last_error FROM webhook_outbox WHERE job_id = ?", jobId);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private JobRepository jobs() {
        return service.context().getRegistry().lookupByNameAndType("jobRepository", JobRepository.class);
    }

    private JdbcTemplate jdbc() {
        return new JdbcTemplate(service.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
