package io.e2e3d.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeenObjectTest {

    @Test
    void classifiesByKey() {
        assertEquals(ObjectKind.IMAGE, kind("scan/IMG_1.JPG", 10));
        assertEquals(ObjectKind.IMAGE, kind("scan/sub/a.TiFf", 10));
        assertEquals(ObjectKind.IMAGE, kind("scan/a.bmp", 10));
        assertEquals(ObjectKind.MARKER, kind("scan/_READY", 0));
        assertEquals(ObjectKind.MANIFEST, kind("scan/manifest.json", 20));
        assertEquals(ObjectKind.REJECTED, kind("scan/notes.txt", 5));
        assertEquals(ObjectKind.REJECTED, kind("scan/a.png", 0));
        assertEquals(ObjectKind.REJECTED, kind("loose.jpg", 10));
        assertEquals(ObjectKind.REJECTED, kind("scan/", 0));
    }

    @Test
    void datasetIsTheFirstSegmentAndRejectionsCarryAReason() {
        SeenObject nested = SeenObject.classify("input", "scan/left/a.jpg", "e", 1);
        assertEquals("scan", nested.dataset());
        SeenObject loose = SeenObject.classify("input", "loose.jpg", "e", 1);
        assertTrue(loose.reason().contains("<dataset>/<photo>"), loose.reason());
        SeenObject text = SeenObject.classify("input", "scan/readme", "e", 1);
        assertTrue(text.reason().contains("got '(none)'"), text.reason());
    }

    @Test
    void anImageOverTheSizeLimitIsRejectedWithTheLimit() {
        SeenObject big = SeenObject.classify("input", "scan/big.tif", "e", 5_000).limitedTo(4_000);
        assertEquals(ObjectKind.REJECTED, big.kind());
        assertTrue(big.reason().contains("4000 bytes allowed per image"), big.reason());
        assertEquals(ObjectKind.IMAGE, SeenObject.classify("input", "scan/ok.tif", "e", 4_000).limitedTo(4_000).kind());
        assertEquals(ObjectKind.MARKER, SeenObject.classify("input", "scan/_READY", "e", 0).limitedTo(0).kind());
    }

    private static ObjectKind kind(String key, long size) {
        return SeenObject.classify("input", key, "etag", size).kind();
    }
}
