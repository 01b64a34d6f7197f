package io.e2e3d.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console against a service with an API key and no worker (so a job waits in the queue): the page asks for
 * the key before uploading, asks again when the key is refused, uploads once it is right, and the job it
 * created is canceled from its page with the same key. A folder dropped on the page makes a job the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiKeyTest {

    private static final String KEY = "console-test-key-7f3a";

    Browser browser;
    RunningService service;

    @BeforeAll
    void start() throws Exception {
        browser = Browser.start();
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-console-key"), Database.H2);
        settings.put("e2e3d.api-key", KEY);
        settings.put("e2e3d.workers", "0");
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
    void thePageAsksForTheKeyUploadsWithItAndCancelsTheJobFromItsPage() throws Exception {
        browser.open(service.url("/"));
        browser.await(Duration.ofSeconds(30), "the job list to load", d -> !browser.text("#jobs-summary").isEmpty());

        browser.find("#upload-files").sendKeys(PhotoFolder.forFileInput(PhotoFolder.orbit("keyed", 6, 15)));
        WebElement dialog = browser.find("#key-dialog");
        browser.await(Duration.ofSeconds(30), "the page to ask for the API key", d -> dialog.isDisplayed());
        assertEquals("key-input", browser.driver.switchTo().activeElement().getAttribute("id"), "the key field has the focus");
        browser.screenshot("console-api-key-dialog");

        // a wrong key, typed and sent with Enter: the service answers 401 and the page asks again, saying why
        browser.driver.switchTo().activeElement().sendKeys("not-the-key", Keys.ENTER);
        browser.await(Duration.ofSeconds(60), "the page to ask again after the refused key",
                d -> dialog.isDisplayed() && browser.text("#key-error").contains("refused"));
        browser.screenshot("console-api-key-refused");
        browser.driver.switchTo().activeElement().sendKeys(KEY, Keys.ENTER);
        browser.await(Duration.ofSeconds(60), "the upload to create a job", d -> browser.text("#upload-message").contains("created"));
        assertTrue(!dialog.isDisplayed());
        String jobId = browser.find("#upload-message a").getText();
        assertEquals("queued", service.getJson("/api/jobs/" + jobId).path("status").asText());

        browser.find("#upload-message a").click();
        browser.await(Duration.ofSeconds(30), "the job page", d -> browser.text("#job-status").contains("Queued"));
        WebElement cancel = browser.find("#job-cancel");
        cancel.sendKeys(Keys.ENTER); // a keyboard user's press
        browser.await(Duration.ofSeconds(30), "the job to end canceled", d -> browser.text("#job-status").contains("Canceled"));
        browser.screenshot("console-job-canceled");
        assertEquals("⊘ Canceled", browser.text("#job-status"));
        assertTrue(!cancel.isDisplayed(), "a finished job has no cancel button");
        assertEquals("canceled", service.getJson("/api/jobs/" + jobId).path("status").asText());

        // back in the list, filtered by status
        browser.find("a[href='#/']").click();
        Select filter = new Select(browser.find("#status-filter"));
        filter.selectByValue("canceled");
        String row = "tr[data-job-id='" + jobId + "'] td[data-field='status']";
        browser.await(Duration.ofSeconds(30), "the canceled job in the canceled list", d -> browser.text(row).equals("⊘ Canceled"));
        filter.selectByValue("completed");
        browser.await(Duration.ofSeconds(30), "an empty list of completed jobs",
                d -> browser.text("#jobs-summary").equals("No completed jobs yet.") && browser.findAll("#jobs-body tr").isEmpty());
        filter.selectByValue("canceled");
        browser.await(Duration.ofSeconds(30), "the canceled job again", d -> browser.text(row).equals("⊘ Canceled"));
        browser.screenshot("console-list-filtered-canceled");

        // a folder dropped on the drop zone goes through the same upload (the key is kept for the session)
        filter.selectByValue("");
        List<Path> dropped = new ArrayList<>(PhotoFolder.orbit("dropped", 5, 15));
        dropped.add(Files.writeString(dropped.get(0).resolveSibling("Thumbs.db"), "not a photo"));
        drop(dropped);
        String message = browser.await(Duration.ofSeconds(60), "the dropped photos to create a job",
                d -> browser.text("#upload-message").contains("created") ? browser.text("#upload-message") : null);
        assertTrue(message.contains("with 5 photo(s)") && message.contains("1 file(s) that are not photos were left out"), message);
        String droppedJob = browser.find("#upload-message a").getText();
        assertTrue(!droppedJob.equals(jobId));
        assertEquals(5, service.getJson("/api/jobs/" + droppedJob).path("image_count").asInt());
        browser.await(Duration.ofSeconds(30), "the dropped job in the list",
                d -> browser.text("tr[data-job-id='" + droppedJob + "'] td[data-field='status']").equals("○ Queued"));
        browser.screenshot("console-list-after-drop");
    }

    /** What a browser does when files are dropped on the zone: dragover, then drop with the files. */
    private void drop(List<Path> files) throws Exception {
        List<Map<String, String>> payload = new ArrayList<>();
        for (Path file : files) {
            payload.add(Map.of("name", file.getFileName().toString(),
                    "data", Base64.getEncoder().encodeToString(Files.readAllBytes(file))));
        }
        browser.driver.executeScript("""
                const data = new DataTransfer();
                for (const f of arguments[0]) {
                  data.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name));
                }
                const zone = document.getElementById('drop-zone');
                for (const type of ['dragenter', 'dragover', 'drop']) {
                  zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
                }
                """, payload);
    }
}
