package io.e2e3d;

import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** The e2e3d.* settings from application.properties, resolved once at start. */
public record Settings(
        Path dataDir,
        int httpPort,
        String instanceId,
        String s3Endpoint,
        String s3PublicEndpoint,
        int s3EmbeddedPort,
        String s3Region,
        String s3AccessKey,
        String s3SecretKey,
        int presignMinutes,
        String inputBucket,
        String outputBucket,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        long dbConnectionTimeoutMs,
        int ingestQuietSeconds,
        int workers,
        int minImages,
        int minImageSide,
        String defaultEngine,
        int heartbeatSeconds,
        int maxAttempts,
        long jobTimeoutSeconds,
        long maxImageBytes,
        long maxUploadBytes,
        int maxImagesPerJob,
        String apiKey,
        boolean allowAnonymous) {

    public static Settings load(CamelContext context) {
        PropertiesComponent p = context.getPropertiesComponent();
        return new Settings(
                Path.of(text(p, "e2e3d.data-dir")).toAbsolutePath().normalize(),
                integer(p, "e2e3d.http-port"),
                text(p, "e2e3d.instance-id"),
                text(p, "e2e3d.s3.endpoint"),
                text(p, "e2e3d.s3.public-endpoint"),
                integer(p, "e2e3d.s3.embedded-port"),
                text(p, "e2e3d.s3.region"),
                text(p, "e2e3d.s3.access-key"),
                text(p, "e2e3d.s3.secret-key"),
                integer(p, "e2e3d.s3.presign-minutes"),
                text(p, "e2e3d.input-bucket"),
                text(p, "e2e3d.output-bucket"),
                text(p, "e2e3d.db.url"),
                text(p, "e2e3d.db.user"),
                text(p, "e2e3d.db.password"),
                integer(p, "e2e3d.db.pool-size"),
                Long.parseLong(text(p, "e2e3d.db.connection-timeout-ms")),
                integer(p, "e2e3d.ingest.quiet-seconds"),
                integer(p, "e2e3d.workers"),
                integer(p, "e2e3d.min-images"),
                integer(p, "e2e3d.min-image-side"),
                text(p, "e2e3d.engine"),
                integer(p, "e2e3d.heartbeat-seconds"),
                integer(p, "e2e3d.max-attempts"),
                Long.parseLong(text(p, "e2e3d.job-timeout-seconds")),
                Long.parseLong(text(p, "e2e3d.max-image-bytes")),
                Long.parseLong(text(p, "e2e3d.max-upload-bytes")),
                integer(p, "e2e3d.max-images-per-job"),
                text(p, "e2e3d.api-key"),
                Boolean.parseBoolean(text(p, "e2e3d.allow-anonymous")));
    }

    /** Embedded mode: no S3 endpoint configured, so the service runs its own S3Proxy. */
    public boolean embeddedObjectStore() {
        return s3Endpoint.isBlank();
    }

    /** Embedded mode: no database URL configured, so the service uses an H2 file under the data dir. */
    public boolean embeddedDatabase() {
        return dbUrl.isBlank();
    }

    /** External mode: another S3 or a database server, so possibly reachable by others; it needs an API key. */
    public void requireKeyInExternalMode() {
        boolean external = !embeddedObjectStore() || !embeddedDatabase();
        if (external && apiKey.isBlank() && !allowAnonymous) {
            throw new IllegalStateException("external mode needs an API key: set E2E3D_API_KEY, or E2E3D_ALLOW_ANONYMOUS=true"
                    + " to run without one on a network you trust");
        }
    }

    public Path workDir() {
        return dataDir.resolve("work");
    }

    private static String text(PropertiesComponent p, String key) {
        return p.resolveProperty(key).map(String::trim).orElse("");
    }

    private static int integer(PropertiesComponent p, String key) {
        String value = text(p, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, got '" + value + "'");
        }
    }
}
