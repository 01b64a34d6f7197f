package io.e2e3d.engine.boofcv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Per-view features in the workspace: pixel positions and descriptors (float, one row of {@code dim} per feature). */
final class FeatureStore {
    final float[] x, y;
    /** Descriptors row after row ({@code size() * dim} values), or null when loaded without them. */
    final float[] desc;
    final int dim;

    FeatureStore(float[] x, float[] y, float[] desc, int dim) {
        this.x = x;
        this.y = y;
        this.desc = desc;
        this.dim = dim;
    }

    int size() {
        return x.length;
    }

    static Path file(Path dir, int view) {
        return dir.resolve(String.format("features_%04d.bin", view));
    }

    void save(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + 4 * x.length * (2 + dim)); // big-endian, as DataOutputStream wrote
        bytes.putInt(x.length).putInt(dim);
        FloatBuffer out = bytes.asFloatBuffer();
        for (int i = 0; i < x.length; i++) {
            out.put(x[i]).put(y[i]).put(desc, i * dim, dim);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    static FeatureStore load(Path file, boolean withDescriptors) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)); // big-endian, as DataOutputStream wrote it
        int n = bytes.getInt(), dim = bytes.getInt();
        FloatBuffer in = bytes.asFloatBuffer();
        if (in.remaining() != n * (2 + dim)) throw new IOException("unexpected size of " + file.getFileName());
        float[] x = new float[n], y = new float[n];
        float[] desc = withDescriptors ? new float[n * dim] : null;
        for (int i = 0; i < n; i++) {
            int row = i * (2 + dim);
            x[i] = in.get(row);
            y[i] = in.get(row + 1);
            if (withDescriptors) in.get(row + 2, desc, i * dim, dim);
        }
        return new FeatureStore(x, y, desc, dim);
    }
}
