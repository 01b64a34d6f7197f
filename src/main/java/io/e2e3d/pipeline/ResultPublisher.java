package io.e2e3d.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.StageRecord;
import io.e2e3d.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Uploads a finished job's files and its report.json to the output bucket under {@code <job_id>/}. */
public class ResultPublisher {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;
    private final JobRepository jobs;

    public ResultPublisher(ObjectStore store, JobRepository jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    public void publish(JobRun run) throws IOException {
        Path output = run.outputDir();
        writeReport(run, output.resolve("report.json"));
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                store.upload(run.job().resultBucket(), run.job().resultPrefix() + file.getFileName(), file,
                        contentType(file.getFileName().toString()));
            }
        }
    }

    private void writeReport(JobRun run, Path target) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("job_id", run.jobId());
        report.put("engine", run.job().engine());
        report.put("quality", run.quality().label());
        report.put("dataset_type", run.datasetType().label());
        report.put("images", run.images().size());
        List<Map<String, Object>> stages = jobs.stages(run.jobId()).stream().map(ResultPublisher::stage).toList();
        report.put("stages", stages);
        report.put("warnings", run.warnings());
        JSON.writeValue(target.toFile(), report);
    }

    private static Map<String, Object> stage(StageRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("status", s.status());
        m.put("duration_ms", s.durationMs());
        try {
            m.put("details", s.details() == null ? Map.of() : JSON.readValue(s.details(), Map.class));
        } catch (IOException e) {
            m.put("details", s.details());
        }
        return m;
    }

    static String contentType(String name) {
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".obj")) {
            return "model/obj";
        }
        if (name.endsWith(".ply")) {
            return "application/octet-stream";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }
}
