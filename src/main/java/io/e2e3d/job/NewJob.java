package io.e2e3d.job;

import java.util.List;

/**
 * A job about to be queued, with the objects it was made from.
 *
 * @param source  "watch" (the bucket watcher) or "api" (the REST API)
 */
public record NewJob(String id, JobOptions options, String source, String bucket, String prefix, List<JobImage> images) {

    public long acceptedCount() {
        return images.stream().filter(JobImage::accepted).count();
    }
}
