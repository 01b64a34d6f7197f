package io.e2e3d.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.e2e3d.support.Database;
import io.e2e3d.support.Ports;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service, as its own process with every secret set (API key, S3 secret key, database password, webhook
 * secret), is started, used, refused and stopped: no secret appears in its log, in /observe/info, /observe/health
 * or any answer it gave.
 */
class SecretsStayHiddenTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void noSecretShowsInLogsInfoOrAnswers() throws Exception {
        Map<String, String> database = Database.POSTGRESQL.settings();
        Map<String, String> secrets = Map.of(
                "E2E3D_API_KEY", "apikey-7f3a9c51d2",
                "E2E3D_S3_SECRET_KEY", "s3secret-51b0e8aa97",
                "E2E3D_DB_PASSWORD", "dbpassword-c4e2f19d03", // the local server trusts loopback: any password works
                "E2E3D_WEBHOOK_SECRET", "hooksecret-9d8e7f6a5b");
        int http = Ports.free();
        ProcessBuilder builder = ServiceProcess.builder(dir, "service.log");
        Map<String, String> env = new HashMap<>(secrets);
        env.putAll(Map.of("E2E3D_HTTP_PORT", Integer.toString(http), "E2E3D_S3_EMBEDDED_PORT", Integer.toString(Ports.free()),
                "E2E3D_METRICS_PORT", Integer.toString(Ports.free()), "E2E3D_DB_URL", database.get("e2e3d.db.url"),
                "E2E3D_DB_USER", database.get("e2e3d.db.user"), "E2E3D_LOG_LEVEL", "DEBUG"));
        builder.environment().putAll(env);
        Process service = builder.start();
        String base = "http://127.0.0.1:" + http;
        List<String> answers = new ArrayList<>();
        try {
            RunningService.await(Duration.ofSeconds(90), () -> status(base + "/observe/health/ready") == 200, "the service to be ready");
            answers.add(get(base + "/observe/info"));
            answers.add(get(base + "/observe/health?exposureLevel=full"));
            answers.add(get(base + "/api/health"));
            answers.add(get(base + "/api/console"));
            answers.add(post(base + "/api/jobs", "{\"prefix\": \"a\"}", "Bearer wrong-" + secrets.get("E2E3D_API_KEY"), 401));
            answers.add(post(base + "/api/jobs", "{\"prefix\": \"a\"}", "Bearer " + secrets.get("E2E3D_API_KEY"), 404));
            answers.add(post(base + "/api/jobs", "{\"prefix\": \"a\", \"notify_url\": \"ftp://x\"}", "Bearer " + secrets.get("E2E3D_API_KEY"), 400));
            answers.add(post(base + "/api/jobs", "{broken", "Bearer " + secrets.get("E2E3D_API_KEY"), 400));
        } finally {
            service.destroy(); // SIGTERM: the shutdown is logged too
            service.waitFor(60, TimeUnit.SECONDS);
        }
        String log = Files.readString(dir.resolve("service.log"));
        assertFalse(log.isBlank());
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            assertFalse(log.contains(secret.getValue()), () -> secret.getKey() + " is in the log: "
                    + log.lines().filter(l -> l.contains(secret.getValue())).findFirst().orElse(""));
            for (String answer : answers) {
                assertFalse(answer.contains(secret.getValue()), secret.getKey() + " is in an answer: " + answer);
            }
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(String url, String body, String auth, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), response.body());
        return response.body();
    }
}
