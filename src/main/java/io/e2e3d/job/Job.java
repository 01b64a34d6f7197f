package io.e2e3d.job;

import java.time.OffsetDateTime;

/** One row of the jobs table. */
public record Job(
        String id,
        JobStatus status,
        String stage,
        int progress,
        DatasetType datasetType,
        Quality quality,
        String engine,
        String source,
        int imageCount,
        String bucket,
        String prefix,
        String notifyUrl,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        int attempts,
        OffsetDateTime heartbeatAt,
        String worker,
        boolean cancelRequested,
        String errorType,
        String errorMessage,
        String resultBucket,
        String resultPrefix,
        Long pointCount,
        Long meshFaceCount,
        Integer registeredViews) {
}
