package io.e2e3d.engine.boofcv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Per-view features in the workspace: pixel positions and descriptors (float). */
final class FeatureStore {
    final float[] x, y;
    final float[][] desc;

    FeatureStore(float[] x, float[] y, float[][] desc) {
        this.x = x;
        this.y = y;
        this.desc = desc;
    }

    int size() {
        return x.length;
    }

    static Path file(Path dir, int view) {
        return dir.resolve(String.format("features_%04d.bin", view));
    }

    void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(x.length);
            out.writeInt(x.length == 0 ? 0 : desc[0].length);
            for (int i = 0; i < x.length; i++) {
                out.writeFloat(x[i]);
                out.writeFloat(y[i]);
                for (float d : desc[i]) out.writeFloat(d);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    static FeatureStore load(Path file, boolean withDescriptors) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int n = in.readInt(), len = in.readInt();
            float[] x = new float[n], y = new float[n];
            float[][] desc = withDescriptors ? new float[n][len] : null;
            byte[] skip = new byte[4 * len];
            for (int i = 0; i < n; i++) {
                x[i] = in.readFloat();
                y[i] = in.readFloat();
                if (withDescriptors) {
                    for (int k = 0; k < len; k++) desc[i][k] = in.readFloat();
                } else {
                    in.readFully(skip); // skipBytes may skip less than asked
                }
            }
            return new FeatureStore(x, y, desc);
        }
    }
}
