package io.e2e3d.job;

import java.time.OffsetDateTime;

/** One row of job_stages. */
public record StageRecord(String name, String status, OffsetDateTime startedAt, OffsetDateTime finishedAt, Long durationMs,
        String details) {
}
