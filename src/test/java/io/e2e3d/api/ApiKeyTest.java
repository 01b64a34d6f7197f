package io.e2e3d.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** E2E3D_API_KEY guards every mutating endpoint; reads stay open; external mode insists on a key. */
class ApiKeyTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void mutatingEndpointsNeedTheKey() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-key"), Database.H2);
        settings.put("e2e3d.api-key", "s3cr3t-key");
        settings.put("e2e3d.workers", "0");
        try (RunningService service = RunningService.start(settings)) {
            String body = "{\"prefix\": \"nothing-here\"}";
            HttpResponse<String> missing = post(service, "/api/jobs", body, Map.of());
            assertEquals(401, missing.statusCode(), missing.body());
            assertTrue(missing.body().contains("Authorization: Bearer"), missing.body());
            assertEquals(401, post(service, "/api/jobs", body, Map.of("Authorization", "Bearer wrong")).statusCode());
            assertEquals(401, post(service, "/api/jobs", body, Map.of("X-API-Key", "s3cr3t-keyX")).statusCode());
            assertEquals(401, post(service, "/api/jobs/job_000000000000/cancel", "", Map.of()).statusCode());
            // the right key passes the check (and the request then fails for its own reason: no images)
            assertEquals(404, post(service, "/api/jobs", body, Map.of("Authorization", "Bearer s3cr3t-key")).statusCode());
            assertEquals(404, post(service, "/api/jobs", body, Map.of("X-API-Key", "s3cr3t-key")).statusCode());
            assertEquals(200, service.get("/api/jobs").statusCode(), "reading needs no key");
            assertTrue(!service.get("/observe/info").body().contains("s3cr3t-key"), "the key never shows in /observe/info");
        }
    }

    @Test
    void externalModeRefusesToStartWithoutAKey() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-nokey"), Database.H2);
        settings.put("e2e3d.s3.endpoint", "http://127.0.0.1:1");
        Exception e = assertThrows(Exception.class, () -> RunningService.start(settings));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("external mode needs an API key"), root.getMessage());
    }

    private static HttpResponse<String> post(RunningService service, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
