package io.e2e3d.engine;

import io.e2e3d.job.DatasetType;
import io.e2e3d.job.Quality;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A StageContext for tests: records progress, log lines, warnings and details in memory. */
public class TestStageContext implements StageContext {
    private final String jobId;
    private final Path workspace;
    private final Path outputDir;
    private final List<PreparedImage> images;
    public final Map<String, Object> details = new LinkedHashMap<>();
    public final List<String> logs = new ArrayList<>();
    public final List<String> warnings = new ArrayList<>();
    public double lastProgress;
    public volatile boolean cancel;
    public boolean verbose = true;
    public Quality quality = Quality.LOW;

    public TestStageContext(String jobId, Path workspace, Path outputDir, List<PreparedImage> images) {
        this.jobId = jobId;
        this.workspace = workspace;
        this.outputDir = outputDir;
        this.images = images;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    @Override
    public Path outputDir() {
        return outputDir;
    }

    @Override
    public List<PreparedImage> images() {
        return images;
    }

    @Override
    public Quality quality() {
        return quality;
    }

    @Override
    public DatasetType datasetType() {
        return DatasetType.OBJECT;
    }

    @Override
    public void progress(double fraction) {
        if (fraction < 0 || fraction > 1) throw new IllegalArgumentException("progress out of range: " + fraction);
        lastProgress = fraction;
    }

    @Override
    public void checkCanceled() {
        if (cancel) throw new JobCanceledException(jobId);
    }

    @Override
    public void log(String message) {
        logs.add(message);
        if (verbose) System.out.println("[" + jobId + "] " + message);
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
        if (verbose) System.out.println("[" + jobId + "] WARN " + message);
    }

    @Override
    public void detail(String key, Object value) {
        details.put(key, value);
        if (verbose) System.out.println("[" + jobId + "] " + key + " = " + value);
    }
}
