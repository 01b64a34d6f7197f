package io.e2e3d.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.e2e3d.support.Database;
import io.e2e3d.support.Multipart;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/** Photos dropped into the watched bucket, as a user drops them; run on H2 and on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IngestTests {

    private static final Duration JOB_APPEARS = Duration.ofSeconds(30);

    Path dataDir;
    RunningService service;

    abstract Database database();

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("e2e3d-ingest");
        service = RunningService.start(RunningService.testSettings(dataDir, database()));
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void imagesAndReadyMarkerBecomeOneJobThatRunsPastPreprocessing() throws Exception {
        for (int i = 0; i < 6; i++) {
            put("marker-set/img_" + i + ".png", TestImages.textured(320, 240, i, "png"));
        }
        put("marker-set/_READY", new byte[0]);

        JsonNode job = awaitSingleJob("marker-set/");
        assertEquals(6, job.path("image_count").asInt());
        JsonNode done = service.awaitFinished(job.path("id").asText(), Duration.ofSeconds(180));
        JsonNode preprocessing = done.path("stages").get(0);
        assertEquals("preprocessing", preprocessing.path("name").asText());
        assertEquals("completed", preprocessing.path("status").asText());
        assertEquals(6, preprocessing.path("details").path("images_accepted").asInt());
        assertEquals(6, done.path("images").path("accepted").asInt());
        assertTrue(done.path("stages").size() > 1, "the job went on to the engine's stages: " + done.path("stages"));
        // blobs of colour are no scene: the engine refuses them rather than publishing a model
        assertEquals("failed", done.path("status").asText());
        assertEquals("reconstruction_failed", done.path("error_type").asText(), done.path("error_message").asText());
        assertTrue(Files.list(dataDir.resolve("s3/output")).noneMatch(p -> p.getFileName().toString().equals(job.path("id").asText())),
                "a failed job publishes nothing");
    }

    @Test
    void quietDatasetBecomesAJobAndTheSameObjectsAgainMakeNoOther() throws Exception {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            images.add(TestImages.textured(320, 240, 100 + i, "jpg"));
            put("quiet-set/photo_" + i + ".JPG", images.get(i));
        }
        JsonNode job = awaitSingleJob("quiet-set/");
        assertEquals(5, job.path("image_count").asInt());

        for (int i = 0; i < 5; i++) {
            put("quiet-set/photo_" + i + ".JPG", images.get(i)); // same bytes, same ETag
        }
        Thread.sleep(6_000); // longer than the quiet period plus several polls
        assertEquals(1, jobsWithPrefix("quiet-set/").size(), "re-uploading the same objects must not make a job");
    }

    @Test
    void brokenFilesAreRejectedWithReasonsAndTheRestGoOn() throws Exception {
        for (int i = 0; i < 5; i++) {
            put("mixed-set/good_" + i + ".png", TestImages.textured(320, 240, 200 + i, "png"));
        }
        put("mixed-set/truncated.jpg", TestImages.truncatedJpeg());
        put("mixed-set/garbage.jpg", TestImages.garbage());
        put("mixed-set/empty.png", new byte[0]);
        put("mixed-set/tiny.png", TestImages.textured(16, 16, 1, "png"));
        put("mixed-set/notes.txt", "field notes".getBytes());
        put("mixed-set/_READY", new byte[0]);

        JsonNode job = awaitSingleJob("mixed-set/");
        JsonNode done = service.awaitFinished(job.path("id").asText(), Duration.ofSeconds(180));
        assertEquals("completed", done.path("stages").get(0).path("status").asText(), "preprocessing completed with the good images");
        assertTrue(done.path("stages").size() > 1, "the good images go on past preprocessing");
        Map<String, String> reasons = new HashMap<>();
        for (JsonNode image : done.path("images").path("items")) {
            if (image.path("status").asText().equals("rejected")) {
                reasons.put(image.path("key").asText(), image.path("reason").asText());
            }
        }
        assertEquals(5, reasons.size(), "rejected: " + reasons);
        assertTrue(reasons.get("mixed-set/notes.txt").startsWith("not an image"), reasons.toString());
        assertTrue(reasons.get("mixed-set/empty.png").contains("empty"), reasons.toString());
        assertTrue(reasons.get("mixed-set/truncated.jpg").contains("corrupt"), reasons.toString());
        assertTrue(reasons.get("mixed-set/garbage.jpg").contains("not a decodable image"), reasons.toString());
        assertTrue(reasons.get("mixed-set/tiny.png").contains("too small"), reasons.toString());
        assertEquals(5, done.path("images").path("accepted").asInt());
        assertEquals(5, done.path("image_count").asInt());
    }

    @Test
    void anImageOverwrittenWhileCollectingCountsOnceAsItsNewestVersion() throws Exception {
        for (int i = 0; i < 5; i++) {
            put("overwrite-set/img_" + i + ".png", TestImages.textured(240, 180, 1000 + i, "png"));
        }
        RunningService.await(Duration.ofSeconds(10), () -> ledgerHolds("overwrite-set/img_0.png"), "the first version to be seen");
        byte[] second = TestImages.textured(260, 200, 2000, "png");
        put("overwrite-set/img_0.png", second);
        put("overwrite-set/_READY", new byte[0]);
        JsonNode done = service.awaitFinished(awaitSingleJob("overwrite-set/").path("id").asText(), Duration.ofSeconds(60));
        assertEquals(5, done.path("images").path("total").asInt(), done.path("images").toString());
        JsonNode first = done.path("images").path("items").get(0);
        assertEquals("overwrite-set/img_0.png", first.path("key").asText());
        assertEquals(260, first.path("width").asInt(), "the newest version was processed");
    }

    @Test
    void tooFewUsableImagesFailTheJobWithAReason() throws Exception {
        for (int i = 0; i < 3; i++) {
            put("small-set/img_" + i + ".bmp", TestImages.textured(200, 150, 300 + i, "bmp"));
        }
        put("small-set/_READY", new byte[0]);
        JsonNode done = service.awaitFinished(awaitSingleJob("small-set/").path("id").asText(), Duration.ofSeconds(60));
        assertEquals("failed", done.path("status").asText());
        assertEquals("too_few_images", done.path("error_type").asText());
        assertTrue(done.path("error_message").asText().contains("at least 5"), done.path("error_message").asText());
    }

    @Test
    void manifestSealsTheDatasetAndSetsItsOptions() throws Exception {
        for (int i = 0; i < 5; i++) {
            put("manifest-set/img_" + i + ".tif", TestImages.textured(240, 180, 400 + i, "tiff"));
        }
        put("manifest-set/manifest.json", "{\"quality\": \"low\", \"dataset_type\": \"object\"}".getBytes());
        JsonNode job = awaitSingleJob("manifest-set/");
        assertEquals("low", job.path("quality").asText());
        assertEquals("object", job.path("dataset_type").asText());
        assertEquals(5, job.path("image_count").asInt());
    }

    @Test
    void invalidManifestIsRejectedWithAReasonAndTheDatasetWaitsForQuiet() throws Exception {
        for (int i = 0; i < 5; i++) {
            put("bad-manifest/img_" + i + ".png", TestImages.textured(240, 180, 500 + i, "png"));
        }
        put("bad-manifest/manifest.json", "{\"quality\": \"ultra\"}".getBytes());
        JsonNode job = awaitSingleJob("bad-manifest/");
        assertEquals("medium", job.path("quality").asText());
        JsonNode detail = service.getJson("/api/jobs/" + job.path("id").asText());
        String reason = "";
        for (JsonNode image : detail.path("images").path("items")) {
            if (image.path("key").asText().equals("bad-manifest/manifest.json")) {
                reason = image.path("reason").asText();
            }
        }
        assertTrue(reason.contains("quality must be one of low, medium, high"), reason);
    }

    @Test
    void multipartUploadMakesExactlyOneJobAlsoAfterTheQuietPeriod() throws Exception {
        Multipart form = new Multipart().field("quality", "low");
        for (int i = 0; i < 5; i++) {
            form.file("photo" + i, "IMG_" + i + ".jpg", "image/jpeg", TestImages.textured(320, 240, 600 + i, "jpg"));
        }
        HttpResponse<String> created = service.post("/api/jobs", form.contentType(), form.bytes());
        assertEquals(201, created.statusCode(), created.body());
        String id = RunningService.json(created).path("id").asText();
        Thread.sleep(6_000); // the watcher sees input/<id>/ and its quiet period passes
        List<JsonNode> jobs = jobsWithPrefix(id + "/");
        assertEquals(1, jobs.size(), "the watcher must not make a second job of an upload");
        assertEquals(id, jobs.get(0).path("id").asText());
    }

    @Test
    void fileCopiedIntoTheDataFolderIsADropToo() throws Exception {
        Path folder = dataDir.resolve("s3/input/copied-set");
        Files.createDirectories(folder);
        for (int i = 0; i < 5; i++) {
            Files.write(folder.resolve("img_" + i + ".png"), TestImages.textured(240, 180, 700 + i, "png"));
        }
        Files.write(folder.resolve("_READY"), new byte[0]);
        JsonNode job = awaitSingleJob("copied-set/");
        assertEquals(5, job.path("image_count").asInt());
    }

    @Test
    void cancelStopsARunningJobAtTheNextStep() throws Exception {
        for (int i = 0; i < 30; i++) {
            put("cancel-set/img_" + i + ".png", TestImages.textured(1600, 1200, 900 + i, "png"));
        }
        put("cancel-set/_READY", new byte[0]);
        String id = awaitSingleJob("cancel-set/").path("id").asText();
        RunningService.await(Duration.ofSeconds(30), () -> {
            try {
                return service.getJson("/api/jobs/" + id).path("status").asText().equals("running");
            } catch (Exception e) {
                return false;
            }
        }, "the job to start");
        HttpResponse<String> cancel = service.post("/api/jobs/" + id + "/cancel", "application/json", new byte[0]);
        assertEquals(202, cancel.statusCode(), cancel.body());
        JsonNode done = service.awaitFinished(id, Duration.ofSeconds(30));
        assertEquals("canceled", done.path("status").asText(), done.toString());
        assertEquals("canceled", done.path("stages").get(0).path("status").asText(), "preprocessing stopped midway");
        assertTrue(done.path("progress").asInt() < 10, "stopped before preprocessing finished: " + done.path("progress"));
    }

    @Test
    void collectingSurvivesARestart() throws Exception {
        for (int i = 0; i < 5; i++) {
            put("restart-set/img_" + i + ".png", TestImages.textured(240, 180, 800 + i, "png"));
        }
        RunningService.await(Duration.ofSeconds(10), () -> ledgerHolds("restart-set/img_4.png"), "the ledger to record the drop");
        service.stop();
        Thread.sleep(4_000); // the quiet period passes while the service is down
        service.startAgain();
        JsonNode job = awaitSingleJob("restart-set/");
        assertEquals(5, job.path("image_count").asInt());
        Thread.sleep(2_000);
        assertEquals(1, jobsWithPrefix("restart-set/").size());
    }

    private boolean ledgerHolds(String key) {
        Integer n = new org.springframework.jdbc.core.JdbcTemplate(
                service.context().getRegistry().lookupByNameAndType("dataSource", javax.sql.DataSource.class))
                .queryForObject("SELECT COUNT(*) FROM ingest_objects WHERE object_key = ?", Integer.class, key);
        return n != null && n >= 1;
    }

    private void put(String key, byte[] bytes) {
        service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(bytes));
    }

    private JsonNode awaitSingleJob(String prefix) throws Exception {
        return service.awaitSingleJob(prefix, JOB_APPEARS);
    }

    private List<JsonNode> jobsWithPrefix(String prefix) throws Exception {
        return service.jobsWithPrefix(prefix);
    }
}
