package io.e2e3d.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.engine.synthetic.Accuracy;
import io.e2e3d.engine.synthetic.PlyReader;
import io.e2e3d.engine.synthetic.Similarity;
import io.e2e3d.engine.synthetic.SyntheticScene;
import io.e2e3d.support.Database;
import io.e2e3d.support.ExifJpeg;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import io.e2e3d.support.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Photos of a synthetic scene with known geometry, dropped into the bucket as a user would (JPEG with the
 * camera's EXIF focal length), reconstructed by the default engine; the published model is downloaded
 * through the presigned result links and measured against the true surface.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconstructionEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final double FOCAL = 260;

    RunningService service;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-recon"), Database.H2);
        // links name the store as users reach it: here "localhost", where the service itself uses 127.0.0.1
        settings.put("e2e3d.s3.public-endpoint", "http://localhost:" + settings.get("e2e3d.s3.embedded-port"));
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aRenderedOrbitBecomesAnAccurateModel() throws Exception {
        List<SyntheticScene.Camera> cameras = SyntheticScene.orbit(16, 15, 4.2, 2.6, WIDTH, HEIGHT, FOCAL);
        drop("orbit16", cameras, null);
        JsonNode job = assertAccurateModel(jobFor("orbit16/"), cameras);
        assertEquals("boofcv", job.path("engine").asText());
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + service.settings().get("e2e3d.metrics.port") + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("reconstruction_point_cloud_size_count{dataset_type=\"unknown\"} 1"), "point cloud size observed");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("reconstruction_success_total ") && !l.endsWith(" 0.0")),
                "the success counter moved");
    }

    @Test
    void theColmapEngineChosenByTheManifestGivesAnAccurateModelToo() throws Exception {
        Tools.require("colmap", "colmap");
        List<SyntheticScene.Camera> cameras = SyntheticScene.orbit(16, 15, 4.2, 2.6, WIDTH, HEIGHT, FOCAL);
        drop("orbit16-colmap", cameras, "{\"engine\": \"colmap\", \"dataset_type\": \"object\"}");
        JsonNode job = assertAccurateModel(jobFor("orbit16-colmap/"), cameras);
        assertEquals("colmap", job.path("engine").asText());
    }

    /** The job completed; its published files, downloaded through the result links, match the true scene. */
    private JsonNode assertAccurateModel(String id, List<SyntheticScene.Camera> cameras) throws Exception {
        JsonNode job = service.awaitFinished(id, Duration.ofMinutes(10));
        assertEquals("completed", job.path("status").asText(), job.toString());
        assertEquals(100, job.path("progress").asInt());
        assertEquals(16, job.path("registered_views").asInt());
        assertTrue(job.path("point_count").asLong() > 100_000, job.toString());
        assertTrue(job.path("mesh_face_count").asLong() > 10_000, job.toString());
        for (JsonNode stage : job.path("stages")) {
            assertEquals("completed", stage.path("status").asText(), stage.toString());
        }

        Path out = Files.createTempDirectory("e2e3d-model");
        Set<String> names = new HashSet<>();
        HttpClient http = HttpClient.newHttpClient();
        for (JsonNode file : service.getJson("/api/jobs/" + id + "/results")) {
            names.add(file.path("name").asText());
            assertEquals("localhost", URI.create(file.path("url").asText()).getHost(), "links carry the public endpoint");
            HttpResponse<Path> download = http.send(HttpRequest.newBuilder(URI.create(file.path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofFile(out.resolve(file.path("name").asText())));
            assertEquals(200, download.statusCode(), "presigned link for " + file.path("name").asText());
            assertEquals(file.path("size").asLong(), Files.size(download.body()));
        }
        assertTrue(names.containsAll(Set.of("sparse.ply", "dense.ply", "mesh.ply", "mesh.obj", "cameras.json", "report.json")),
                names.toString());

        double diagonal = SyntheticScene.objectDiagonal();
        Map<Integer, double[]> centres = Accuracy.centres(out.resolve("cameras.json"));
        assertEquals(16, centres.size());
        Similarity alignment = Accuracy.align(Accuracy.cameras(out.resolve("cameras.json")), cameras);
        double[] sparse = Accuracy.distances(PlyReader.read(out.resolve("sparse.ply")).xyz, alignment, 200_000);
        assertTrue(Accuracy.quantile(sparse, 0.5) / diagonal <= 0.005, "sparse median error " + Accuracy.quantile(sparse, 0.5) / diagonal);
        PlyReader dense = PlyReader.read(out.resolve("dense.ply"));
        assertEquals(job.path("point_count").asLong(), dense.vertexCount());
        double[] denseErrors = Accuracy.distances(dense.xyz, alignment, 300_000);
        assertTrue(Accuracy.quantile(denseErrors, 0.5) / diagonal <= 0.0075, "dense median " + Accuracy.quantile(denseErrors, 0.5) / diagonal);
        PlyReader mesh = PlyReader.read(out.resolve("mesh.ply"));
        assertEquals(job.path("mesh_face_count").asLong(), mesh.faceCount());
        double[] vertexErrors = Accuracy.distances(mesh.xyz, alignment, 300_000);
        assertTrue(Accuracy.quantile(vertexErrors, 0.5) / diagonal <= 0.0075, "mesh vertices lie near the surface: median "
                + Accuracy.quantile(vertexErrors, 0.5) / diagonal);

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(id, report.path("job_id").asText());
        assertEquals(7, report.path("stages").size());
        JsonNode sparseStage = report.path("stages").get(3);
        assertEquals("sparse_reconstruction", sparseStage.path("name").asText());
        assertEquals(16, sparseStage.path("details").path("views_registered").asInt());
        assertTrue(sparseStage.path("details").path("reprojection_error_px_median").asDouble() < 1.0, sparseStage.toString());
        assertTrue(sparseStage.path("details").path("reprojection_error_px_mean").asDouble() < 2.0, sparseStage.toString());
        assertTrue(report.path("stages").get(0).path("duration_ms").asLong() > 0);
        assertTrue(report.path("warnings").isArray());
        assertTrue(report.path("stages").get(4).path("details").path("peak_heap_bytes").asLong() > 0, "peak memory per stage");
        return job;
    }

    @Test
    void tooLittleOverlapFailsWithAReadableReasonAndPublishesNothing() throws Exception {
        drop("sparse6", SyntheticScene.orbit(6, 60, 4.2, 2.6, WIDTH, HEIGHT, FOCAL), null);
        String id = jobFor("sparse6/");
        JsonNode job = service.awaitFinished(id, Duration.ofMinutes(5));
        assertEquals("failed", job.path("status").asText());
        assertEquals("reconstruction_failed", job.path("error_type").asText());
        assertTrue(job.path("error_message").asText().matches("registered \\d of 6 views: take photos with more overlap.*"),
                job.path("error_message").asText());
        assertEquals(0, service.s3().listObjectsV2(b -> b.bucket("output").prefix(id + "/")).keyCount(), "nothing published");
        assertEquals(409, service.get("/api/jobs/" + id + "/results").statusCode());
    }

    /** Uploads the rendered views as JPEG with EXIF, then the manifest if any, else the _READY marker. */
    private void drop(String dataset, List<SyntheticScene.Camera> cameras, String manifest) {
        SyntheticScene scene = new SyntheticScene(42);
        int focal35 = (int) Math.round(FOCAL * 36 / Math.max(WIDTH, HEIGHT));
        for (int i = 0; i < cameras.size(); i++) {
            byte[] jpeg = ExifJpeg.withFocal35mm(TestImages.encode(scene.render(cameras.get(i)), "jpg"), focal35);
            String key = String.format("%s/view_%03d.jpg", dataset, i);
            service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(jpeg));
        }
        if (manifest == null) {
            service.s3().putObject(b -> b.bucket("input").key(dataset + "/_READY"), RequestBody.fromBytes(new byte[0]));
        } else {
            service.s3().putObject(b -> b.bucket("input").key(dataset + "/manifest.json"), RequestBody.fromString(manifest));
        }
    }

    private String jobFor(String prefix) throws Exception {
        String[] id = new String[1];
        RunningService.await(Duration.ofSeconds(60), () -> {
            try {
                for (JsonNode job : service.getJson("/api/jobs?limit=500").path("jobs")) {
                    if (job.path("prefix").asText().equals(prefix)) {
                        id[0] = job.path("id").asText();
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        }, "a job for " + prefix);
        return id[0];
    }
}
