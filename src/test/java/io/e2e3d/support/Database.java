package io.e2e3d.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The database a test runs against: embedded H2 (the default mode) or a real PostgreSQL server, each test
 * class in a fresh schema. PostgreSQL comes from E2E3D_TEST_DB_URL (default the local server, user postgres);
 * when it cannot be reached the test is skipped with a message, or fails when CI=true.
 */
public enum Database {
    H2, POSTGRESQL;

    public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    /** The settings that point the service at this database; empty for H2 (the embedded default). */
    public Map<String, String> settings() {
        if (this == H2) {
            return Map.of();
        }
        String url = env("E2E3D_TEST_DB_URL", DEFAULT_PG_URL);
        String user = env("E2E3D_TEST_DB_USER", "postgres");
        String password = env("E2E3D_TEST_DB_PASSWORD", "");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + url + " as " + user + ": " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + " (CI=true: PostgreSQL tests must run)", e);
            }
            Assumptions.abort(message + " - skipping the PostgreSQL variant");
        }
        String separator = url.contains("?") ? "&" : "?";
        return Map.of("e2e3d.db.url", url + separator + "currentSchema=" + schema,
                "e2e3d.db.user", user, "e2e3d.db.password", password,
                "e2e3d.allow-anonymous", "true"); // a database server is external mode, which otherwise needs a key
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
