package io.e2e3d.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobOptionsTest {

    @Test
    void defaultsAndCaseInsensitiveValues() {
        JobOptions defaults = JobOptions.of(null, null, null, null, "boofcv");
        assertEquals(DatasetType.UNKNOWN, defaults.datasetType());
        assertEquals(Quality.MEDIUM, defaults.quality());
        assertEquals("boofcv", defaults.engine());
        JobOptions given = JobOptions.of("Aerial", "HIGH", "COLMAP", "https://hooks.example/e2e3d", "boofcv");
        assertEquals(DatasetType.AERIAL, given.datasetType());
        assertEquals(Quality.HIGH, given.quality());
        assertEquals("colmap", given.engine());
    }

    @Test
    void invalidValuesSayWhatIsAllowed() {
        assertMessage("quality must be one of low, medium, high", () -> JobOptions.of(null, "best", null, null, "boofcv"));
        assertMessage("dataset_type must be one of object, scene, aerial, unknown", () -> JobOptions.of("x", null, null, null, "boofcv"));
        assertMessage("engine must be one of boofcv, colmap", () -> JobOptions.of(null, null, "meshroom", null, "boofcv"));
        assertMessage("notify_url must be an absolute http(s) URL", () -> JobOptions.of(null, null, null, "file:///etc/passwd", "boofcv"));
        assertMessage("job_id must be", () -> JobOptions.requireJobId("../etc"));
        assertMessage("job_id must be", () -> JobOptions.requireJobId("a".repeat(65)));
    }

    @Test
    void generatedIdsHaveTheDocumentedShape() {
        String id = JobIds.next();
        assertTrue(id.matches("job_[0-9a-f]{12}"), id);
        assertTrue(JobOptions.validJobId(id));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
