package io.e2e3d.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser against the whole service: a folder of photos uploaded through the page's
 * file input becomes a job the list follows to completed, and the job page shows its stages, report,
 * downloads and a 3D view that draws as many points as the job has. Plus what the service serves at / and
 * what it refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {

    private static final String GRAFANA = "http://grafana.example:3000/d/e2e3d";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    Browser browser;
    RunningService service;

    @BeforeAll
    void start() throws Exception {
        browser = Browser.start();
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-console"), Database.H2);
        settings.put("e2e3d.console.grafana-url", GRAFANA);
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aFolderOfPhotosUploadedFromThePageBecomesAModelTheViewerDraws() throws Exception {
        browser.open(service.url("/"));
        browser.await(Duration.ofSeconds(30), "the job list to load", d -> !browser.text("#jobs-summary").isEmpty());
        WebElement grafana = browser.find("#monitoring-links a");
        assertEquals(GRAFANA, grafana.getAttribute("href"));
        assertTrue(grafana.getText().startsWith("Grafana"), grafana.getText());

        List<Path> photos = new ArrayList<>(PhotoFolder.orbit("orbit16", 16, 15));
        photos.add(Files.writeString(photos.get(0).resolveSibling("notes.txt"), "taken on a cloudy day"));
        browser.find("#upload-files").sendKeys(PhotoFolder.forFileInput(photos));
        String message = browser.await(Duration.ofMinutes(2), "the upload to create a job",
                d -> browser.text("#upload-message").contains("created") ? browser.text("#upload-message") : null);
        assertTrue(message.contains("with 16 photo(s)") && message.contains("1 file(s) that are not photos were left out"), message);
        String jobId = browser.find("#upload-message a").getText();

        String status = "tr[data-job-id='" + jobId + "'] td[data-field='status']";
        browser.await(Duration.ofMinutes(1), "the job to show as running in the list",
                d -> browser.text(status).matches(".*(Running|Completed)"));
        browser.screenshot("console-list-running");
        browser.await(Duration.ofMinutes(10), "the job to show as completed in the list",
                d -> browser.text(status).contains("Completed") || browser.text(status).contains("Failed"));
        browser.screenshot("console-list-completed");
        assertEquals("✔ Completed", browser.text(status), "status is a word and a shape");
        assertEquals("100 %", browser.text("tr[data-job-id='" + jobId + "'] td[data-field='progress']"));

        browser.find("tr[data-job-id='" + jobId + "'] th a").click();
        browser.await(Duration.ofSeconds(30), "the job page", d -> browser.text("#job-heading").equals("Job " + jobId));
        WebElement viewer = browser.find("#viewer");
        browser.await(Duration.ofMinutes(3), "the viewer to draw the point cloud",
                d -> "ready".equals(viewer.getAttribute("data-state")) || "error".equals(viewer.getAttribute("data-state")));
        assertEquals("ready", viewer.getAttribute("data-state"), browser.text("#viewer-status") + "\n" + browser.consoleLog());

        JsonNode job = service.getJson("/api/jobs/" + jobId);
        assertEquals(job.path("point_count").asText(), viewer.getAttribute("data-points"), "points drawn = points in the job");
        assertTrue(job.path("point_count").asLong() > 10_000, job.toString());
        assertDrawn(browser.screenshot("console-viewer-points", viewer));
        browser.screenshot("console-job-page");

        // the model toggle is a radio group: the arrow key moves to the mesh, as for any keyboard user
        browser.find("#model-points").sendKeys(Keys.ARROW_RIGHT);
        browser.await(Duration.ofMinutes(3), "the viewer to draw the mesh",
                d -> "mesh".equals(viewer.getAttribute("data-showing")) && "ready".equals(viewer.getAttribute("data-state")));
        assertEquals(job.path("mesh_face_count").asText(), viewer.getAttribute("data-faces"), "faces drawn = faces in the job");
        assertDrawn(browser.screenshot("console-viewer-mesh", viewer));

        List<WebElement> stages = browser.findAll("#job-timeline li");
        assertEquals(7, stages.size());
        for (WebElement stage : stages) {
            assertTrue(stage.getText().contains("Completed"), stage.getText());
            assertTrue(stage.findElement(org.openqa.selenium.By.cssSelector(".stage-duration")).getText().matches("[0-9.]+ (ms|s)|\\d+ min \\d+ s"),
                    stage.getText());
        }
        assertEquals("16 image(s): 16 accepted, 0 rejected.", browser.text("#images-summary"));
        String report = browser.text("#report-figures");
        assertTrue(report.contains("Views registered\n16 of 16"), report);
        assertTrue(report.contains(String.format("Dense points\n%,d", job.path("point_count").asLong())), report);
        List<String> downloads = browser.findAll("#downloads a").stream().map(WebElement::getText).toList();
        assertTrue(downloads.containsAll(List.of("dense.ply", "mesh.ply", "report.json", "cameras.json")), downloads.toString());
        browser.find("#viewer-reset").click();
        browser.screenshot("console-job-page-mesh");
        browser.driver.executeScript("document.getElementById('report-section').scrollIntoView()");
        browser.screenshot("console-job-page-report");
        browser.driver.executeScript("window.scrollTo(0, 0)");
        browser.screenshot("console-job-page-top");
    }

    @Test
    void aJobOfBrokenPhotosShowsWhyItFailedAndWhichPhotosWereRejected() throws Exception {
        Path folder = Files.createTempDirectory("e2e3d-broken");
        List<Path> photos = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            photos.add(Files.write(folder.resolve("cut_" + i + ".jpg"), TestImages.truncatedJpeg()));
        }
        photos.add(Files.write(folder.resolve("thumbnail.png"), TestImages.textured(32, 24, 7, "png")));
        browser.open(service.url("/"));
        browser.await(Duration.ofSeconds(30), "the job list to load", d -> !browser.text("#jobs-summary").isEmpty());
        browser.find("#upload-files").sendKeys(PhotoFolder.forFileInput(photos));
        browser.await(Duration.ofMinutes(1), "the upload to create a job", d -> browser.text("#upload-message").contains("created"));
        String jobId = browser.find("#upload-message a").getText();

        // it may wait behind the other test's reconstruction
        String row = "tr[data-job-id='" + jobId + "']";
        browser.await(Duration.ofMinutes(12), "the job to fail", d -> browser.text(row + " td[data-field='status']").equals("✖ Failed"));
        assertTrue(browser.text(row + " td[data-field='problem']").startsWith("too_few_images: "), browser.text(row));
        browser.find(row + " th a").click();
        browser.await(Duration.ofSeconds(30), "the failed job's page", d -> browser.text("#job-status").equals("✖ Failed"));
        assertTrue(browser.text("#job-error").startsWith("too_few_images: "), browser.text("#job-error"));
        browser.await(Duration.ofSeconds(30), "the rejected images", d -> browser.findAll("#images-rejected tr").size() == 6);
        assertEquals("6 image(s): 0 accepted, 6 rejected.", browser.text("#images-summary"));
        for (WebElement rejected : browser.findAll("#images-rejected tr")) {
            assertTrue(rejected.findElements(org.openqa.selenium.By.tagName("td")).get(1).getText().length() > 5,
                    "a reason for " + rejected.getText());
        }
        assertTrue(browser.find("#model-section").getAttribute("hidden") != null, "no model for a failed job");
        browser.screenshot("console-job-failed");
    }

    @Test
    void theServiceServesThePageAndItsFilesAndRefusesEverythingElse() throws Exception {
        HttpResponse<String> page = service.get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.body().contains("<script type=\"importmap\">"), "three is mapped by an import map");
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));

        HttpResponse<String> script = service.get("/js/main.js");
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElse(""));
        String etag = script.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/js/main.js")))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode(), "an unchanged file is not sent again");
        assertTrue(service.get("/vendor/three/build/three.module.js").headers().firstValue("Cache-Control").orElse("")
                .contains("max-age"), "the vendored library is cached");
        assertEquals("text/css; charset=utf-8", service.get("/console.css").headers().firstValue("Content-Type").orElse(""));

        for (String path : List.of("/nothing.js", "/application.properties", "/io/e2e3d/Application.class",
                "/web/index.html", "/js/", "/vendor/three/LICENSE", "/%2e%2e/pom.xml", "/.hidden.js", "/api/unknown")) {
            HttpResponse<String> refused = service.get(path);
            assertEquals(404, refused.statusCode(), path);
            assertEquals("application/json", refused.headers().firstValue("Content-Type").orElse(""), path);
            assertTrue(refused.body().contains("\"error\""), path);
        }
        assertEquals(200, service.get("/observe/health/live").statusCode(), "Camel's endpoints come before the console");
        assertEquals(200, service.get("/api/jobs").statusCode(), "the API comes before the console");

        JsonNode console = service.getJson("/api/console");
        assertEquals(GRAFANA, console.path("grafana_url").asText());
        assertTrue(console.path("prometheus_url").isNull(), "unset links are null");
        assertEquals(false, console.path("api_key_required").asBoolean());
    }

    /** The element's picture is not just the background: a good share of its pixels are the model. */
    private static void assertDrawn(Path png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        int background = 0x1b2230;
        long drawn = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                int diff = Math.abs((rgb >> 16) - (background >> 16)) + Math.abs(((rgb >> 8) & 0xFF) - ((background >> 8) & 0xFF))
                        + Math.abs((rgb & 0xFF) - (background & 0xFF));
                if (diff > 40) {
                    drawn++;
                }
            }
        }
        double share = drawn / (double) (image.getWidth() * image.getHeight());
        assertTrue(share > 0.05, png + ": only " + Math.round(share * 100) + "% of the pixels show the model");
    }
}
