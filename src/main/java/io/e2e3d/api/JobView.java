package io.e2e3d.api;

import io.e2e3d.job.Job;
import io.e2e3d.job.JobImage;
import io.e2e3d.job.StageRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a job as the API shows it (snake_case, ISO-8601 times). */
final class JobView {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private JobView() {
    }

    static Map<String, Object> summary(Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id());
        m.put("status", job.status().label());
        m.put("stage", job.stage());
        m.put("progress", job.progress());
        m.put("dataset_type", job.datasetType().label());
        m.put("quality", job.quality().label());
        m.put("engine", job.engine());
        m.put("source", job.source());
        m.put("image_count", job.imageCount());
        m.put("bucket", job.bucket());
        m.put("prefix", job.prefix());
        m.put("created_at", time(job.createdAt()));
        m.put("started_at", time(job.startedAt()));
        m.put("finished_at", time(job.finishedAt()));
        m.put("duration_seconds", duration(job.startedAt(), job.finishedAt()));
        m.put("attempts", job.attempts());
        m.put("worker", job.worker());
        m.put("registered_views", job.registeredViews());
        m.put("point_count", job.pointCount());
        m.put("mesh_face_count", job.meshFaceCount());
        m.put("error_type", job.errorType());
        m.put("error_message", job.errorMessage());
        m.put("cancel_requested", job.cancelRequested());
        m.put("notify_url", job.notifyUrl());
        m.put("result", job.status().label().equals("completed")
                ? Map.of("bucket", job.resultBucket(), "prefix", job.resultPrefix()) : null);
        return m;
    }

    static Map<String, Object> detail(Job job, List<StageRecord> stages, List<JobImage> images) {
        Map<String, Object> m = summary(job);
        m.put("stages", stages.stream().map(JobView::stage).toList());
        long accepted = images.stream().filter(JobImage::accepted).count();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total", images.size());
        summary.put("accepted", accepted);
        summary.put("rejected", images.size() - accepted);
        summary.put("items", images.stream().map(JobView::image).toList());
        m.put("images", summary);
        return m;
    }

    private static Map<String, Object> stage(StageRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("status", s.status());
        m.put("started_at", time(s.startedAt()));
        m.put("finished_at", time(s.finishedAt()));
        m.put("duration_ms", s.durationMs());
        m.put("details", json(s.details()));
        return m;
    }

    /** Stage details are stored as JSON text; the API shows them as an object. */
    private static Object json(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(text, Map.class);
        } catch (java.io.IOException e) {
            return text;
        }
    }

    private static Map<String, Object> image(JobImage i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", i.key());
        m.put("size", i.size());
        m.put("status", i.accepted() ? "accepted" : "rejected");
        m.put("reason", i.reason());
        m.put("width", i.width());
        m.put("height", i.height());
        m.put("focal_px", i.focalPx());
        return m;
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }

    private static Double duration(OffsetDateTime start, OffsetDateTime end) {
        if (start == null) {
            return null;
        }
        OffsetDateTime until = end == null ? OffsetDateTime.now(ZoneOffset.UTC) : end;
        return Duration.between(start, until).toMillis() / 1000.0;
    }
}
