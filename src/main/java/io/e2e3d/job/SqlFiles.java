package io.e2e3d.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads the SQL statements kept in src/main/resources/sql/*.sql, once each. */
public final class SqlFiles {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private SqlFiles() {
    }

    public static String get(String name) {
        return CACHE.computeIfAbsent(name, SqlFiles::read);
    }

    private static String read(String name) {
        String path = "sql/" + name + ".sql";
        try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL file " + path);
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // strip comment lines so files can explain themselves
            return sql.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
