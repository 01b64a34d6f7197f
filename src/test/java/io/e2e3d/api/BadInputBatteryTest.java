package io.e2e3d.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.support.Database;
import io.e2e3d.support.Multipart;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Bad input of every kind, over REST and S3, against one running service: each gets its documented 4xx with a
 * JSON error, or becomes a rejected object or a failed job with a reason. None gets a 5xx, and the service is
 * healthy and working at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputBatteryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "battery-key-0123456789";
    private static final int MAX_UPLOAD = 1 << 20;

    private RunningService service;
    private final List<String> serverErrors = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-battery"), Database.H2);
        settings.put("e2e3d.api-key", KEY);
        settings.put("e2e3d.max-upload-bytes", Integer.toString(MAX_UPLOAD));
        settings.put("e2e3d.max-image-bytes", Integer.toString(200_000));
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    /** An HTTP case: what is sent, and the status a user must get. */
    private record Call(String name, String method, String path, String contentType, byte[] body, String auth, int expected) {
    }

    private static Call json(String name, String body, int expected) {
        return new Call(name, "POST", "/api/jobs", "application/json", body.getBytes(StandardCharsets.UTF_8), "Bearer " + KEY, expected);
    }

    private static Call get(String name, String path, int expected) {
        return new Call(name, "GET", path, null, null, null, expected);
    }

    private static Call upload(String name, Multipart form, int expected) {
        return new Call(name, "POST", "/api/jobs", form.contentType(), form.bytes(), "Bearer " + KEY, expected);
    }

    private List<Call> restCases() {
        byte[] jpeg = TestImages.textured(160, 120, 1, "jpg");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String deepObject = "{\"prefix\": " + "{\"a\": ".repeat(3000) + "1" + "}".repeat(3000) + "}";
        List<Call> cases = new ArrayList<>(List.of(
                new Call("create without credentials", "POST", "/api/jobs", "application/json", "{\"prefix\":\"a\"}".getBytes(), null, 401),
                new Call("create with a wrong key", "POST", "/api/jobs", "application/json", "{\"prefix\":\"a\"}".getBytes(), "Bearer nope", 401),
                new Call("create with the key in the wrong scheme", "POST", "/api/jobs", "application/json", "{\"prefix\":\"a\"}".getBytes(),
                        "Basic " + KEY, 401),
                new Call("cancel without credentials", "POST", "/api/jobs/job_0123456789ab/cancel", null, new byte[0], null, 401),
                json("malformed JSON", "{\"prefix\": ", 400),
                json("JSON array instead of an object", "[1, 2, 3]", 400),
                json("deeply nested arrays", deep, 400),
                json("deeply nested objects in a field", deepObject, 400),
                json("empty body", "", 400),
                json("missing prefix", "{}", 400),
                json("unknown field", "{\"prefix\": \"a\", \"rm -rf\": true}", 400),
                json("traversal in the prefix", "{\"prefix\": \"../../etc\"}", 400),
                json("absolute prefix", "{\"prefix\": \"/etc/passwd\"}", 400),
                json("control character in the prefix", "{\"prefix\": \"a\\u0000b\"}", 400),
                json("backslash in the prefix", "{\"prefix\": \"a\\\\..\\\\b\"}", 400),
                json("prefix longer than 512 characters", "{\"prefix\": \"" + "p".repeat(600) + "\"}", 400),
                json("SQL metacharacters in the prefix (no such images)", "{\"prefix\": \"x'; DROP TABLE jobs; --\"}", 404),
                json("unicode prefix without images", "{\"prefix\": \"фото-📷-集\"}", 404),
                json("bucket that is no bucket name", "{\"prefix\": \"a\", \"bucket\": \"../Input\"}", 400),
                json("bucket that does not exist", "{\"prefix\": \"a\", \"bucket\": \"no-such-bucket\"}", 404),
                json("unknown quality", "{\"prefix\": \"a\", \"quality\": \"ultra\"}", 400),
                json("unknown dataset type", "{\"prefix\": \"a\", \"dataset_type\": \"hologram\"}", 400),
                json("unknown engine", "{\"prefix\": \"a\", \"engine\": \"magic\"}", 400),
                json("number where a string belongs", "{\"prefix\": 42}", 400),
                json("notify_url that is no http URL", "{\"prefix\": \"a\", \"notify_url\": \"javascript:alert(1)\"}", 400),
                json("job_id with traversal", "{\"prefix\": \"a\", \"job_id\": \"../../x\"}", 400),
                json("job_id too long", "{\"prefix\": \"a\", \"job_id\": \"" + "j".repeat(65) + "\"}", 400),
                new Call("bytes that are not UTF-8", "POST", "/api/jobs", "application/json",
                        new byte[] {'{', '"', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "Bearer " + KEY, 400),
                new Call("plain text body", "POST", "/api/jobs", "text/plain", "prefix=a".getBytes(), "Bearer " + KEY, 415),
                new Call("body over the upload limit", "POST", "/api/jobs", "application/json", new byte[MAX_UPLOAD + 4096],
                        "Bearer " + KEY, 413),
                upload("upload of a text file named .jpg", new Multipart().file("f1", "notes.jpg", "image/jpeg", TestImages.garbage()), 415),
                upload("upload of a PDF", new Multipart().file("f1", "scan.pdf", "application/pdf", "%PDF-1.4".getBytes()), 415),
                upload("upload with no files", new Multipart().field("quality", "low"), 400),
                upload("upload with a repeated field", new Multipart().file("f", "a.jpg", "image/jpeg", jpeg).file("f", "b.jpg", "image/jpeg", jpeg), 400),
                upload("upload of one image over the per-image limit", new Multipart().file("f1", "big.bmp", "image/bmp",
                        TestImages.textured(400, 300, 2, "bmp")), 413),
                upload("upload with an unknown form field", new Multipart().field("sql", "1; DROP TABLE jobs").file("f1", "a.jpg", "image/jpeg", jpeg), 400),
                get("negative limit", "/api/jobs?limit=-1", 400),
                get("absurd limit", "/api/jobs?limit=1000000000", 400),
                get("negative offset", "/api/jobs?offset=-5", 400),
                get("limit that is no number", "/api/jobs?limit=abc", 400),
                get("offset beyond a long", "/api/jobs?offset=99999999999999999999999", 400),
                get("unknown status filter", "/api/jobs?status=bogus", 400),
                get("SQL metacharacters in the status filter", "/api/jobs?status=queued'%20OR%201=1--", 400),
                get("malformed job id", "/api/jobs/job_'%20OR%201=1", 400),
                get("encoded traversal as a job id", "/api/jobs/..%2F..%2Fetc%2Fpasswd", 400),
                get("unknown job", "/api/jobs/job_000000000000", 404),
                get("results of an unknown job", "/api/jobs/job_000000000000/results", 404),
                new Call("cancel of an unknown job", "POST", "/api/jobs/job_000000000000/cancel", null, new byte[0], "Bearer " + KEY, 404),
                new Call("a method the API does not take", "DELETE", "/api/jobs", null, null, "Bearer " + KEY, 405),
                get("a path nobody serves", "/api/does-not-exist", 404)));
        return cases;
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyBadRequestGetsItsDocumented4xxWithAJsonError() {
        return restCases().stream().map(c -> dynamicTest(c.name(), () -> {
            HttpResponse<String> response = send(c);
            if (response.statusCode() >= 500) {
                serverErrors.add(c.name() + " -> " + response.statusCode());
            }
            assertEquals(c.expected(), response.statusCode(), c.name() + ": " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), c.name());
            assertFalse(JSON.readTree(response.body()).path("error").asText().isBlank(), c.name() + ": " + response.body());
        }));
    }

    @Test
    @Order(2)
    void aFileNameWithTraversalIsStoredUnderItsBaseNameInsideTheJobsFolder() throws Exception {
        Multipart form = new Multipart().file("f1", "../../../evil.jpg", "image/jpeg", TestImages.textured(160, 120, 5, "jpg"));
        HttpResponse<String> created = send(upload("traversal file name", form, 201));
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();
        JsonNode job = service.getJson("/api/jobs/" + id);
        assertEquals(id + "/evil.jpg", job.path("images").path("items").get(0).path("key").asText());
    }

    @TestFactory
    @Order(3)
    Stream<DynamicTest> badObjectsInTheBucketAreRejectedWithReasonsOrFailTheirJob() throws Exception {
        put("junk-set/truncated.jpg", TestImages.truncatedJpeg());
        put("junk-set/garbage.jpg", TestImages.garbage());
        put("junk-set/empty.png", new byte[0]);
        put("junk-set/claims-60000px.png", pngClaiming(60_000, 60_000));
        put("junk-set/huge.bmp", TestImages.textured(400, 300, 3, "bmp"));
        put("junk-set/readme.txt", "hello".getBytes());
        put("junk-set/_READY", new byte[0]);
        put("top-level-photo.jpg", TestImages.textured(160, 120, 4, "jpg"));
        put("bad-manifest/manifest.json", "{\"quality\": ".getBytes());
        for (int i = 0; i < 5; i++) {
            put("bad-manifest/img_" + i + ".jpg", TestImages.textured(160, 120, 10 + i, "jpg"));
        }
        put("o'brien; DROP TABLE jobs;--/img_0.jpg", TestImages.textured(160, 120, 20, "jpg"));
        put("ünïcødé-фото/照片 1.jpg", TestImages.textured(160, 120, 21, "jpg"));

        JsonNode junk = awaitFinishedJob("junk-set/");
        Map<String, String> reasons = reasons(junk);
        JsonNode[] badManifest = new JsonNode[1];
        return Stream.of(
                dynamicTest("a dataset of nothing but broken files fails with too_few_images", () -> {
                    assertEquals("failed", junk.path("status").asText(), junk.toString());
                    assertEquals("too_few_images", junk.path("error_type").asText());
                    assertFalse(junk.path("error_message").asText().isBlank());
                }),
                dynamicTest("a truncated JPEG is rejected as corrupt", () -> assertTrue(reasons.get("junk-set/truncated.jpg").contains("corrupt"), reasons.toString())),
                dynamicTest("text named .jpg is rejected as no image", () -> assertTrue(reasons.get("junk-set/garbage.jpg").contains("not a decodable image"), reasons.toString())),
                dynamicTest("an empty file is rejected", () -> assertTrue(reasons.get("junk-set/empty.png").contains("empty"), reasons.toString())),
                dynamicTest("a PNG claiming 60000x60000 pixels is rejected, not decoded", () -> assertTrue(reasons.containsKey("junk-set/claims-60000px.png"), reasons.toString())),
                dynamicTest("an image over the per-image limit is rejected", () -> assertTrue(reasons.get("junk-set/huge.bmp").contains("E2E3D_MAX_IMAGE_BYTES"), reasons.toString())),
                dynamicTest("a text file is rejected by its type", () -> assertTrue(reasons.get("junk-set/readme.txt").startsWith("not an image"), reasons.toString())),
                dynamicTest("a malformed manifest is rejected with its reason and the dataset still becomes a job", () -> {
                    badManifest[0] = awaitJob("bad-manifest/");
                    Map<String, String> manifestReasons = reasons(service.getJson("/api/jobs/" + badManifest[0].path("id").asText()));
                    assertTrue(manifestReasons.getOrDefault("bad-manifest/manifest.json", "").contains("not valid JSON"), manifestReasons.toString());
                }),
                dynamicTest("a dataset named with SQL metacharacters is just a name", () -> {
                    JsonNode job = awaitJob("o'brien; DROP TABLE jobs;--/");
                    assertEquals(1, job.path("image_count").asInt());
                }),
                dynamicTest("unicode keys are ingested as they are", () -> {
                    JsonNode job = awaitJob("ünïcødé-фото/");
                    JsonNode detail = service.getJson("/api/jobs/" + job.path("id").asText());
                    assertEquals("ünïcødé-фото/照片 1.jpg", detail.path("images").path("items").get(0).path("key").asText());
                }));
    }

    @TestFactory
    @Order(4)
    Stream<DynamicTest> afterAllOfItTheServiceIsHealthyAndAnsweredNo5xx() {
        return Stream.of(
                dynamicTest("no case got a 5xx", () -> assertEquals(List.of(), serverErrors)),
                dynamicTest("no 5xx in the API metrics", () -> {
                    String metrics = service.get("/observe/metrics").body();
                    assertFalse(metrics.lines().anyMatch(l -> l.startsWith("api_requests_total") && l.contains("status=\"5")),
                            "a 5xx was counted");
                }),
                dynamicTest("ready and healthy", () -> {
                    assertEquals(200, service.get("/observe/health/ready").statusCode());
                    assertEquals("healthy", service.getJson("/api/health").path("status").asText());
                }),
                dynamicTest("and still takes a good job", () -> {
                    for (int i = 0; i < 5; i++) {
                        put("good-after/img_" + i + ".jpg", TestImages.textured(160, 120, 50 + i, "jpg"));
                    }
                    HttpResponse<String> created = send(json("good job", "{\"prefix\": \"good-after\"}", 201));
                    assertEquals(201, created.statusCode(), created.body());
                }));
    }

    private HttpResponse<String> send(Call c) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(c.path()))).timeout(Duration.ofSeconds(30));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        if (c.auth() != null) {
            request.header("Authorization", c.auth());
        }
        request.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void put(String key, byte[] bytes) {
        service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(bytes));
    }

    private JsonNode awaitJob(String prefix) throws Exception {
        JsonNode[] found = new JsonNode[1];
        RunningService.await(Duration.ofSeconds(60), () -> {
            try {
                List<JsonNode> jobs = service.jobsWithPrefix(prefix);
                found[0] = jobs.isEmpty() ? null : jobs.get(0);
                return found[0] != null;
            } catch (Exception e) {
                return false;
            }
        }, "a job for " + prefix);
        return found[0];
    }

    private JsonNode awaitFinishedJob(String prefix) throws Exception {
        return service.awaitFinished(awaitJob(prefix).path("id").asText(), Duration.ofSeconds(120));
    }

    private static Map<String, String> reasons(JsonNode job) {
        Map<String, String> reasons = new HashMap<>();
        for (JsonNode image : job.path("images").path("items")) {
            if (image.path("status").asText().equals("rejected")) {
                reasons.put(image.path("key").asText(), image.path("reason").asText());
            }
        }
        return reasons;
    }

    /** A PNG whose header claims a huge picture but whose data is a few bytes: a decoder must not trust it. */
    private static byte[] pngClaiming(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
