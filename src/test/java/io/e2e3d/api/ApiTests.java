package io.e2e3d.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.e2e3d.support.Database;
import io.e2e3d.support.Multipart;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The REST API as a client sees it. No workers run here, so jobs stay queued and every answer is about the
 * API alone; the pipeline has tests of its own. Run on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiTests {

    RunningService service;

    abstract Database database();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-api"), database());
        settings.put("e2e3d.workers", "0");
        settings.put("e2e3d.max-image-bytes", "200000");
        service = RunningService.start(settings);
        for (int i = 0; i < 5; i++) {
            put("api-set/view_" + i + ".png", TestImages.textured(200, 150, i, "png"));
        }
        put("api-set/readme.md", "notes".getBytes());
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void createFromPrefixAnswers201WithTheQueuedJob() throws Exception {
        HttpResponse<String> created = service.postJson("/api/jobs",
                "{\"prefix\": \"api-set/\", \"quality\": \"high\", \"dataset_type\": \"scene\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode job = RunningService.json(created);
        String id = job.path("id").asText();
        assertTrue(id.matches("job_[0-9a-f]{12}"), id);
        assertEquals("/api/jobs/" + id, created.headers().firstValue("Location").orElse(""));
        assertEquals("queued", job.path("status").asText());
        assertEquals("high", job.path("quality").asText());
        assertEquals("scene", job.path("dataset_type").asText());
        assertEquals("api-set/", job.path("prefix").asText());
        assertEquals(5, job.path("image_count").asInt());

        JsonNode detail = service.getJson("/api/jobs/" + id);
        assertEquals(5, detail.path("images").path("accepted").asInt());
        assertEquals(1, detail.path("images").path("rejected").asInt());
        assertTrue(detail.path("stages").isArray());
    }

    @Test
    void userSuppliedJobIdIsKeptAndCannotBeUsedTwice() throws Exception {
        HttpResponse<String> first = service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"job_id\": \"scan-42\"}");
        assertEquals(201, first.statusCode(), first.body());
        assertEquals("scan-42", RunningService.json(first).path("id").asText());
        assertError(409, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"job_id\": \"scan-42\"}"), "already exists");
    }

    @Test
    void multipartUploadStoresTheImagesUnderTheJobAndQueuesIt() throws Exception {
        Multipart form = new Multipart().field("quality", "low").field("job_id", "upload-1");
        for (int i = 0; i < 5; i++) {
            form.file("file" + i, "shot " + i + ".JPEG", "image/jpeg", TestImages.textured(200, 150, 10 + i, "jpg"));
        }
        HttpResponse<String> created = service.post("/api/jobs", form.contentType(), form.bytes());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode job = RunningService.json(created);
        assertEquals("upload-1", job.path("id").asText());
        assertEquals("upload-1/", job.path("prefix").asText());
        assertEquals(5, job.path("image_count").asInt());
        assertEquals(5, service.s3().listObjectsV2(b -> b.bucket("input").prefix("upload-1/")).keyCount());
    }

    @Test
    void uploadedFileNamesCannotEscapeTheJobFolder() throws Exception {
        Multipart form = new Multipart().field("job_id", "traversal-1");
        form.file("f0", "../../etc/evil.png", "image/png", TestImages.textured(100, 100, 1, "png"));
        form.file("f1", "..\\..\\windows\\evil2.png", "image/png", TestImages.textured(100, 100, 2, "png"));
        HttpResponse<String> created = service.post("/api/jobs", form.contentType(), form.bytes());
        assertEquals(201, created.statusCode(), created.body());
        var keys = service.s3().listObjectsV2(b -> b.bucket("input").prefix("traversal-1/")).contents().stream()
                .map(o -> o.key()).sorted().toList();
        assertEquals(java.util.List.of("traversal-1/evil.png", "traversal-1/evil2.png"), keys);
        assertTrue(service.s3().listObjectsV2(b -> b.bucket("input").prefix("etc")).contents().isEmpty());
    }

    @Test
    void listFiltersByStatusAndPages() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(201, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"job_id\": \"page-" + i + "\"}").statusCode());
        }
        JsonNode all = service.getJson("/api/jobs?status=queued&limit=500");
        long total = all.path("total").asLong();
        assertTrue(total >= 3);
        assertEquals(total, all.path("jobs").size());
        for (JsonNode job : all.path("jobs")) {
            assertEquals("queued", job.path("status").asText());
        }
        JsonNode page = service.getJson("/api/jobs?status=queued&limit=2&offset=1");
        assertEquals(2, page.path("jobs").size());
        assertEquals(all.path("jobs").get(1).path("id"), page.path("jobs").get(0).path("id"), "offset skips the newest");
        assertEquals(0, service.getJson("/api/jobs?status=completed").path("jobs").size());
    }

    @Test
    void cancelEndsAQueuedJobAndRefusesAFinishedOne() throws Exception {
        assertEquals(201, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"job_id\": \"to-cancel\"}").statusCode());
        HttpResponse<String> canceled = service.post("/api/jobs/to-cancel/cancel", "application/json", new byte[0]);
        assertEquals(202, canceled.statusCode(), canceled.body());
        assertEquals("canceled", RunningService.json(canceled).path("status").asText());
        assertError(409, service.post("/api/jobs/to-cancel/cancel", "application/json", new byte[0]), "already finished");
        assertError(409, service.get("/api/jobs/to-cancel/results"), "only a completed job has results");
    }

    @Test
    void healthHasTheSeedShape() throws Exception {
        HttpResponse<String> response = service.get("/api/health");
        JsonNode health = RunningService.json(response);
        assertEquals("healthy", health.path("components").path("database").asText());
        assertEquals("healthy", health.path("components").path("minio").asText());
        assertTrue(health.path("components").has("reconstruction"));
        assertTrue(health.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*"), health.toString());
        boolean healthy = health.path("status").asText().equals("healthy");
        assertEquals(healthy ? 200 : 500, response.statusCode());
        assertEquals(200, service.get("/observe/health/ready").statusCode(), "database and object store are up");
    }

    @Test
    void everyBadRequestGetsItsDocumented4xxWithAJsonError() throws Exception {
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": "), "malformed JSON");
        assertError(400, service.postJson("/api/jobs", ""), "empty");
        assertError(400, service.postJson("/api/jobs", "[1, 2]"), "JSON object");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"colour\": \"red\"}"), "unknown field 'colour'");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"quality\": \"ultra\"}"), "quality must be one of");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"dataset_type\": \"planet\"}"), "dataset_type must be one of");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"engine\": \"magic\"}"), "engine must be one of");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": 42}"), "must be a string");
        assertError(400, service.postJson("/api/jobs", "{\"quality\": \"low\"}"), "prefix is required");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"\"}"), "prefix must name");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"../x\"}"), "'..'");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"a/../../etc\"}"), "'..'");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"/etc\"}"), "relative");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"bad\\u0000name\"}"), "control characters");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"bucket\": \"Not_A_Bucket\"}"), "bucket must be");
        assertError(404, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"bucket\": \"no-such-bucket\"}"), "does not exist");
        assertError(404, service.postJson("/api/jobs", "{\"prefix\": \"nothing-here\"}"), "no images under");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"job_id\": \"bad id!\"}"), "job_id must be");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": \"api-set\", \"notify_url\": \"ftp://x\"}"), "notify_url");
        assertError(400, service.postJson("/api/jobs", "{\"prefix\": " + "[".repeat(2000) + "]".repeat(2000) + "}"), "");
        assertError(415, service.post("/api/jobs", "text/plain", "prefix=api-set".getBytes()), "application/json");

        Multipart notImage = new Multipart().file("f", "notes.txt", "text/plain", "hello".getBytes());
        assertError(415, service.post("/api/jobs", notImage.contentType(), notImage.bytes()), "not an image");
        Multipart sameField = new Multipart()
                .file("files", "a.png", "image/png", TestImages.textured(100, 100, 1, "png"))
                .file("files", "b.png", "image/png", TestImages.textured(100, 100, 2, "png"));
        assertError(400, service.post("/api/jobs", sameField.contentType(), sameField.bytes()), "its own field name");
        Multipart huge = new Multipart().file("f", "huge.bmp", "image/bmp", TestImages.textured(400, 300, 3, "bmp"));
        assertError(413, service.post("/api/jobs", huge.contentType(), huge.bytes()), "per image (E2E3D_MAX_IMAGE_BYTES)");
        Multipart noFiles = new Multipart().field("quality", "low");
        assertError(400, service.post("/api/jobs", noFiles.contentType(), noFiles.bytes()), "no image files");
        Multipart badField = new Multipart().field("colour", "red")
                .file("f", "a.png", "image/png", TestImages.textured(100, 100, 1, "png"));
        assertError(400, service.post("/api/jobs", badField.contentType(), badField.bytes()), "unknown form field");

        assertError(404, service.get("/api/jobs/job_000000000000"), "no job");
        assertError(400, service.get("/api/jobs/not%20valid"), "malformed job id");
        assertError(404, service.get("/api/jobs/job_000000000000/results"), "no job");
        assertError(404, service.post("/api/jobs/job_000000000000/cancel", "application/json", new byte[0]), "no job");
        assertError(400, service.get("/api/jobs?status=exploded"), "status must be one of");
        assertError(400, service.get("/api/jobs?limit=0"), "limit must be between");
        assertError(400, service.get("/api/jobs?limit=abc"), "limit must be");
        assertError(400, service.get("/api/jobs?limit=99999999999"), "limit must be");
        assertError(400, service.get("/api/jobs?offset=-1"), "offset must be between");
    }

    private static void assertError(int status, HttpResponse<String> response, String text) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "error bodies are JSON: " + response.headers().map());
        JsonNode body = RunningService.json(response);
        assertTrue(body.has("error"), response.body());
        assertTrue(body.path("error").asText().contains(text), "expected '" + text + "' in " + response.body());
        assertFalse(body.path("error").asText().contains("Exception"), "no stack details leak: " + response.body());
    }

    private void put(String key, byte[] bytes) {
        service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(bytes));
    }
}
