package io.e2e3d.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.job.Job;
import io.e2e3d.job.JobRepository;
import io.e2e3d.pipeline.ResultFiles;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a job's webhook, built at each attempt so its download links are fresh:
 * {@code {"job_id", "status", "timestamp", "results"}} where results holds the files and the model's figures
 * of a completed job, or error_type and error_message of a failed or canceled one (README, "Webhooks").
 */
public class WebhookPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobRepository jobs;
    private final ResultFiles resultFiles;

    public WebhookPayload(JobRepository jobs, ResultFiles resultFiles) {
        this.jobs = jobs;
        this.resultFiles = resultFiles;
    }

    public byte[] build(OutboxEntry entry) throws JsonProcessingException {
        Job job = jobs.find(entry.jobId()).orElseThrow(() -> new IllegalStateException("job " + entry.jobId() + " is gone"));
        Map<String, Object> results = new LinkedHashMap<>();
        if (entry.jobStatus().equals("completed")) {
            results.put("files", resultFiles.of(job));
            results.put("point_count", job.pointCount());
            results.put("mesh_face_count", job.meshFaceCount());
            results.put("registered_views", job.registeredViews());
        } else {
            results.put("error_type", job.errorType());
            results.put("error_message", job.errorMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", entry.jobId());
        body.put("status", entry.jobStatus());
        body.put("timestamp", entry.eventAt().toInstant().toString());
        body.put("results", results);
        return JSON.writeValueAsBytes(body);
    }
}
