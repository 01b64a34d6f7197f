package io.e2e3d.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.e2e3d.support.Database;
import io.e2e3d.support.FaultProxy;
import io.e2e3d.support.Multipart;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.StandaloneS3;
import io.e2e3d.support.TestImages;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The link between the service and its object store is cut for 30 s while 200 photos arrive: health says the
 * store is down meanwhile, and once the link is back every photo is ingested, once, into its dataset's job.
 */
class ObjectStoreCutTest {

    private static final int DATASETS = 2;
    private static final int PER_DATASET = 100;

    @TempDir
    Path dir;

    @Test
    void aThirtySecondCutDuringAnIngestOf200ObjectsLosesNoneAndDuplicatesNone() throws Exception {
        try (StandaloneS3 s3 = new StandaloneS3(dir.resolve("s3")); FaultProxy link = FaultProxy.to(s3.port())) {
            Map<String, String> settings = RunningService.testSettings(dir.resolve("data"), Database.H2);
            settings.put("e2e3d.s3.endpoint", "http://127.0.0.1:" + link.port());
            settings.put("e2e3d.allow-anonymous", "true");
            settings.put("e2e3d.workers", "0"); // jobs stay queued: this test is about ingest
            settings.put("e2e3d.retry.delay-ms", "200");
            settings.put("e2e3d.retry.max-delay-ms", "3000");
            try (RunningService service = RunningService.start(settings)) {
                AtomicInteger uploaded = new AtomicInteger();
                Thread uploader = new Thread(() -> {
                    for (int i = 0; i < DATASETS * PER_DATASET; i++) {
                        String key = "cut-" + (i % DATASETS) + "/img_" + String.format("%03d", i) + ".jpg";
                        s3.client().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(TestImages.textured(96, 72, i, "jpg")));
                        uploaded.incrementAndGet();
                        sleep(150); // 200 objects over some 30 s: the cut falls in the middle of the ingest
                    }
                }, "uploader");
                uploader.start();
                RunningService.await(Duration.ofSeconds(60), () -> uploaded.get() >= 40, "the first 40 uploads");
                Thread.sleep(1_000); // some of them are ingested before the cut

                link.cut();
                long cutAt = System.nanoTime();
                RunningService.await(Duration.ofSeconds(20), () -> minio(service).equals("unhealthy"),
                        "/api/health to report the object store down");
                assertEquals(503, service.get("/observe/health/ready").statusCode(), "not ready while the store is cut off");
                Multipart upload = new Multipart().field("job_id", "upload-during-cut");
                for (int i = 0; i < 5; i++) {
                    upload.file("photo" + i, "photo_" + i + ".jpg", "image/jpeg", TestImages.textured(120, 90, 900 + i, "jpg"));
                }
                HttpResponse<String> refused = service.post("/api/jobs", upload.contentType(), upload.bytes());
                assertEquals(503, refused.statusCode(), "an upload the store cannot take is refused: " + refused.body());
                uploader.join(120_000);
                for (int d = 0; d < DATASETS; d++) {
                    int dataset = d;
                    s3.client().putObject(b -> b.bucket("input").key("cut-" + dataset + "/_READY"), RequestBody.empty());
                }
                Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - (System.nanoTime() - cutAt) / 1_000_000));
                assertEquals(0, jobs(service).size(), "no dataset is complete while cut off");
                link.restore();

                HttpResponse<String> retried = service.post("/api/jobs", upload.contentType(), upload.bytes());
                assertEquals(201, retried.statusCode(), "the same upload, retried with its job_id, is taken: " + retried.body());
                assertEquals(5, service.getJson("/api/jobs/upload-during-cut").path("image_count").asInt());

                RunningService.await(Duration.ofSeconds(90), () -> jobs(service).size() == DATASETS,
                        "both datasets to become jobs after the link is back");
                RunningService.await(Duration.ofSeconds(20), () -> minio(service).equals("healthy"), "the store to be healthy again");
                Set<String> keys = new HashSet<>();
                for (JsonNode job : jobs(service)) {
                    JsonNode detail = service.getJson("/api/jobs/" + job.path("id").asText());
                    assertEquals(PER_DATASET, detail.path("image_count").asInt(), detail.path("prefix").asText());
                    for (JsonNode image : detail.path("images").path("items")) {
                        assertTrue(keys.add(image.path("key").asText()), "ingested twice: " + image.path("key").asText());
                    }
                }
                assertEquals(DATASETS * PER_DATASET, keys.size(), "every uploaded object is in exactly one job");
                Thread.sleep(3_000);
                assertEquals(DATASETS + 1, service.getJson("/api/jobs").path("total").asInt(), "no further job appears");
            }
        }
    }

    /** The jobs made from the dropped datasets (not the upload's). */
    private static List<JsonNode> jobs(RunningService service) {
        try {
            List<JsonNode> dropped = new ArrayList<>();
            service.getJson("/api/jobs").path("jobs").forEach(job -> {
                if (job.path("prefix").asText().startsWith("cut-")) {
                    dropped.add(job);
                }
            });
            return dropped;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String minio(RunningService service) {
        try {
            return service.getJson("/api/health").path("components").path("minio").asText();
        } catch (Exception e) {
            return "no answer: " + e.getMessage();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
