package io.e2e3d.console;

import io.e2e3d.engine.synthetic.SyntheticScene;
import io.e2e3d.support.ExifJpeg;
import io.e2e3d.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A folder of photos as a user would pick it: rendered views of the synthetic scene (JPEG with EXIF focal). */
final class PhotoFolder {

    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    static final double FOCAL = 260;

    private PhotoFolder() {
    }

    /** {@code views} views {@code degreesApart} apart on the test orbit, as view_000.jpg, view_001.jpg, ... */
    static List<Path> orbit(String name, int views, double degreesApart) throws IOException {
        Path folder = Files.createTempDirectory("e2e3d-photos-").resolve(name);
        Files.createDirectories(folder);
        SyntheticScene scene = new SyntheticScene(42);
        int focal35 = (int) Math.round(FOCAL * 36 / Math.max(WIDTH, HEIGHT));
        List<Path> files = new ArrayList<>();
        List<SyntheticScene.Camera> cameras = SyntheticScene.orbit(views, degreesApart, 4.2, 2.6, WIDTH, HEIGHT, FOCAL);
        for (int i = 0; i < cameras.size(); i++) {
            byte[] jpeg = ExifJpeg.withFocal35mm(TestImages.encode(scene.render(cameras.get(i)), "jpg"), focal35);
            files.add(Files.write(folder.resolve(String.format("view_%03d.jpg", i)), jpeg));
        }
        return files;
    }

    /** The newline-joined absolute paths: what a file input takes through sendKeys for a multiple selection. */
    static String forFileInput(List<Path> files) {
        return String.join("\n", files.stream().map(p -> p.toAbsolutePath().toString()).toList());
    }
}
