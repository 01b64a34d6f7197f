package io.e2e3d.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.support.ExifJpeg;
import io.e2e3d.support.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One image through preprocessing: decode, check, downscale, RGB, EXIF focal length. */
class PreprocessorTest {

    private final Preprocessor preprocessor = new Preprocessor(null, null, 5, 64);

    @TempDir
    Path dir;

    @Test
    void downscalesToTheLongestSideAndStoresRgbPng() throws Exception {
        Path source = write("big.jpg", TestImages.textured(4000, 3000, 1, "jpg"));
        Preprocessor.Prepared prepared = preprocessor.prepare(source, dir.resolve("out.png"), 1600);
        assertEquals(1600, prepared.width());
        assertEquals(1200, prepared.height());
        BufferedImage stored = ImageIO.read(dir.resolve("out.png").toFile());
        assertEquals(1600, stored.getWidth());
        assertEquals(BufferedImage.TYPE_INT_RGB == stored.getType() || stored.getColorModel().getNumComponents() == 3, true,
                "stored as RGB");
    }

    @Test
    void neverUpscales() throws Exception {
        Path source = write("small.bmp", TestImages.textured(320, 240, 2, "bmp"));
        Preprocessor.Prepared prepared = preprocessor.prepare(source, dir.resolve("out.png"), 2000);
        assertEquals(320, prepared.width());
        assertEquals(240, prepared.height());
    }

    @Test
    void readsTheExifFocalLengthInPixelsAtThePreparedSize() throws Exception {
        // 36 mm-equivalent focal of 36 mm means focal = longest side in pixels
        byte[] jpeg = ExifJpeg.withFocal35mm(TestImages.textured(3200, 2400, 3, "jpg"), 36);
        Preprocessor.Prepared prepared = preprocessor.prepare(write("exif.jpg", jpeg), dir.resolve("out.png"), 1600);
        assertEquals(1600.0, prepared.focalPx(), 1e-6);
        Preprocessor.Prepared none = preprocessor.prepare(write("plain.png", TestImages.textured(320, 240, 4, "png")),
                dir.resolve("out2.png"), 1600);
        assertNull(none.focalPx(), "no EXIF, no focal prior");
    }

    @Test
    void rejectsBrokenImagesWithAReason() throws Exception {
        assertReason("empty", write("empty.jpg", new byte[0]));
        assertReason("not a decodable image", write("text.png", TestImages.garbage()));
        assertReason("corrupt or truncated", write("cut.jpg", TestImages.truncatedJpeg()));
        assertReason("too small: 32x32", write("tiny.png", TestImages.textured(32, 32, 5, "png")));
    }

    private void assertReason(String expected, Path file) {
        Preprocessor.RejectedImage rejected = assertThrows(Preprocessor.RejectedImage.class,
                () -> preprocessor.prepare(file, dir.resolve("x.png"), 1600));
        assertTrue(rejected.getMessage().contains(expected), rejected.getMessage());
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
