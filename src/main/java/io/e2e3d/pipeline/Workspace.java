package io.e2e3d.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A job's folders on local disk: prepared images, engine state, files to publish. */
public record Workspace(Path root) {

    public static Workspace of(Path workDir, String jobId) throws IOException {
        Workspace workspace = new Workspace(workDir.resolve(jobId));
        Files.createDirectories(workspace.images());
        Files.createDirectories(workspace.output());
        return workspace;
    }

    public Path images() {
        return root.resolve("images");
    }

    public Path output() {
        return root.resolve("output");
    }

    /** The prepared (downscaled RGB) copy of the image at position {@code seq}. */
    public Path preparedImage(int seq) {
        return images().resolve(String.format("%05d.png", seq));
    }
}
