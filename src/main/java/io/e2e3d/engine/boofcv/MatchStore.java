package io.e2e3d.engine.boofcv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Geometrically verified feature matches between view pairs. */
final class MatchStore {
    record Pair(int a, int b, int[] featA, int[] featB) {
        int size() {
            return featA.length;
        }
    }

    final List<Pair> pairs = new ArrayList<>();

    void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(pairs.size());
            for (Pair p : pairs) {
                out.writeInt(p.a);
                out.writeInt(p.b);
                out.writeInt(p.featA.length);
                for (int i = 0; i < p.featA.length; i++) {
                    out.writeInt(p.featA[i]);
                    out.writeInt(p.featB[i]);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    static MatchStore load(Path file) throws IOException {
        MatchStore s = new MatchStore();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int np = in.readInt();
            for (int k = 0; k < np; k++) {
                int a = in.readInt(), b = in.readInt(), n = in.readInt();
                int[] fa = new int[n], fb = new int[n];
                for (int i = 0; i < n; i++) {
                    fa[i] = in.readInt();
                    fb[i] = in.readInt();
                }
                s.pairs.add(new Pair(a, b, fa, fb));
            }
        }
        return s;
    }
}
