package io.e2e3d.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.sync.RequestBody;

/** Jobs outlive the worker that runs them: handed back on shutdown, failed after too many lost attempts. */
class RecoveryTest {

    @Test
    void shutdownHandsTheRunningJobBackAndARestartFinishesIt() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-handback"), Database.H2);
        try (RunningService service = RunningService.start(settings)) {
            for (int i = 0; i < 30; i++) {
                String key = "handback/img_" + i + ".png";
                service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(TestImages.textured(1600, 1200, i, "png")));
            }
            service.s3().putObject(b -> b.bucket("input").key("handback/_READY"), RequestBody.fromBytes(new byte[0]));
            String[] id = new String[1];
            RunningService.await(Duration.ofSeconds(60), () -> {
                try {
                    JsonNode running = service.getJson("/api/jobs?status=running").path("jobs");
                    if (running.size() == 1) {
                        id[0] = running.get(0).path("id").asText();
                        return true;
                    }
                    return false;
                } catch (Exception e) {
                    return false;
                }
            }, "the job to start");
            long stopAt = System.nanoTime();
            service.stop(); // what SIGTERM does: Camel Main stops the context
            assertTrue(System.nanoTime() - stopAt < Duration.ofSeconds(25).toNanos(), "stopped at the next step, not after the job");

            service.startAgain();
            String afterRestart = service.getJson("/api/jobs/" + id[0]).path("status").asText();
            assertTrue(afterRestart.equals("queued") || afterRestart.equals("running"), "handed back, not ended: " + afterRestart);
            RunningService.await(Duration.ofSeconds(120), () -> {
                try {
                    JsonNode stages = service.getJson("/api/jobs/" + id[0]).path("stages");
                    return stages.size() > 0 && stages.get(0).path("status").asText().equals("completed");
                } catch (Exception e) {
                    return false;
                }
            }, "preprocessing to complete after the restart");
            JsonNode job = service.getJson("/api/jobs/" + id[0]);
            assertEquals(1, job.path("attempts").asInt(), "a hand-back is not counted as an attempt");
            assertEquals(30, job.path("images").path("accepted").asInt());
            service.post("/api/jobs/" + id[0] + "/cancel", "application/json", new byte[0]); // the engine's work is not this test's
        }
    }

    @Test
    void aJobRunningPastItsTimeLimitFailsWithTimeout() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-timeout"), Database.H2);
        settings.put("e2e3d.job-timeout-seconds", "1");
        try (RunningService service = RunningService.start(settings)) {
            for (int i = 0; i < 30; i++) {
                String key = "slow/img_" + i + ".png";
                service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(TestImages.textured(1600, 1200, i, "png")));
            }
            service.s3().putObject(b -> b.bucket("input").key("slow/_READY"), RequestBody.fromBytes(new byte[0]));
            String[] id = new String[1];
            RunningService.await(Duration.ofSeconds(60), () -> {
                try {
                    JsonNode jobs = service.getJson("/api/jobs").path("jobs");
                    id[0] = jobs.size() == 1 ? jobs.get(0).path("id").asText() : null;
                    return id[0] != null;
                } catch (Exception e) {
                    return false;
                }
            }, "the job");
            JsonNode done = service.awaitFinished(id[0], Duration.ofSeconds(60));
            assertEquals("failed", done.path("status").asText());
            assertEquals("timeout", done.path("error_type").asText());
            assertTrue(done.path("error_message").asText().contains("E2E3D_JOB_TIMEOUT_SECONDS"), done.path("error_message").asText());
        }
    }

    @Test
    void aJobTakenOverWithoutItsWorkspaceStartsItsStagesOver() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-takeover"), Database.H2);
        settings.put("e2e3d.heartbeat-seconds", "1");
        try (RunningService service = RunningService.start(settings)) {
            JdbcTemplate jdbc = new JdbcTemplate(service.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class));
            OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10);
            // what another instance that died after preprocessing leaves: its workspace is on its own disk
            jdbc.update("INSERT INTO jobs (id, status, stage, progress, engine, source, image_count, bucket, prefix, created_at,"
                    + " started_at, attempts, heartbeat_at, worker) VALUES ('taken-over', 'running', 'feature_extraction', 12,"
                    + " 'boofcv', 'api', 5, 'input', 'taken-over/', ?, ?, 1, ?, 'dead-host/1')", longAgo, longAgo,
                    OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5)); // alive until its rows are complete
            for (int i = 0; i < 5; i++) {
                String key = "taken-over/img_" + i + ".png";
                byte[] png = TestImages.textured(240, 180, i, "png");
                service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(png));
                jdbc.update("INSERT INTO job_images (job_id, object_key, etag, size_bytes, status, seq) VALUES"
                        + " ('taken-over', ?, 'etag', ?, 'accepted', ?)", key, png.length, i);
            }
            jdbc.update("INSERT INTO job_stages (job_id, name, status, started_at, finished_at, duration_ms) VALUES"
                    + " ('taken-over', 'preprocessing', 'completed', ?, ?, 10)", longAgo, longAgo);
            jdbc.update("UPDATE jobs SET heartbeat_at = ? WHERE id = 'taken-over'", longAgo); // now its worker is dead
            RunningService.await(Duration.ofSeconds(60), () -> {
                Integer redone = jdbc.queryForObject("SELECT COUNT(*) FROM job_stages WHERE job_id = 'taken-over'"
                        + " AND name = 'preprocessing' AND status = 'completed' AND details LIKE '%images_accepted%'", Integer.class);
                return redone != null && redone == 1;
            }, "preprocessing to run again on this instance");
            service.post("/api/jobs/taken-over/cancel", "application/json", new byte[0]);
        }
    }

    @Test
    void aJobWhoseWorkerKeepsDyingFailsWithTooManyAttempts() throws Exception {
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-attempts"), Database.H2);
        settings.put("e2e3d.max-attempts", "2");
        settings.put("e2e3d.heartbeat-seconds", "1");
        try (RunningService service = RunningService.start(settings)) {
            JdbcTemplate jdbc = new JdbcTemplate(service.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class));
            // what a worker that died twice in a row leaves behind: running, two attempts, a heartbeat long gone
            OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10);
            jdbc.update("INSERT INTO jobs (id, status, stage, progress, engine, source, bucket, prefix, created_at, started_at,"
                    + " attempts, heartbeat_at, worker) VALUES ('dying-job', 'running', 'preprocessing', 4, 'boofcv', 'api',"
                    + " 'input', 'dying-job/', ?, ?, 2, ?, 'gone-host/1')", longAgo, longAgo, longAgo);
            JsonNode done = service.awaitFinished("dying-job", Duration.ofSeconds(30));
            assertEquals("failed", done.path("status").asText());
            assertEquals("too_many_attempts", done.path("error_type").asText());
            assertTrue(done.path("error_message").asText().contains("last in preprocessing"), done.path("error_message").asText());
        }
    }
}
