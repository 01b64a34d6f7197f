package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreTest {

    @Test
    void roundTripsAndKeepsTheFileLayout(@TempDir Path dir) throws Exception {
        float[] x = {1.5f, 2.5f, 3.5f}, y = {-1f, 0f, 7.25f};
        float[] desc = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        Path file = FeatureStore.file(dir, 3);
        new FeatureStore(x, y, desc, 2).save(file);
        FeatureStore back = FeatureStore.load(file, true);
        assertArrayEquals(x, back.x);
        assertArrayEquals(y, back.y);
        assertArrayEquals(desc, back.desc);
        assertEquals(2, back.dim);
        assertNull(FeatureStore.load(file, false).desc);
        // count, length, then x, y and the descriptor of each feature, big-endian
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            assertEquals(3, in.readInt());
            assertEquals(2, in.readInt());
            assertEquals(1.5f, in.readFloat());
            assertEquals(-1f, in.readFloat());
            assertEquals(0.1f, in.readFloat());
            assertEquals(0.2f, in.readFloat());
            assertEquals(2.5f, in.readFloat());
        }
    }
}
