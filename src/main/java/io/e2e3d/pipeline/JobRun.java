package io.e2e3d.pipeline;

import io.e2e3d.engine.JobCanceledException;
import io.e2e3d.engine.JobReleasedException;
import io.e2e3d.engine.PreparedImage;
import io.e2e3d.engine.StageContext;
import io.e2e3d.job.DatasetType;
import io.e2e3d.job.ErrorType;
import io.e2e3d.job.JobFailure;
import io.e2e3d.job.Job;
import io.e2e3d.job.JobImage;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.Quality;
import io.e2e3d.job.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One claimed job on its way through the stages: what the stage routes carry as the message body. */
public class JobRun implements StageContext {

    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
    private static final long CANCEL_CHECK_MS = 500;

    private final Job job;
    private final Workspace workspace;
    private final JobRepository jobs;
    private final long claimedAtNanos = System.nanoTime();
    private final List<String> warnings = new ArrayList<>();
    private volatile boolean lost;
    private volatile boolean released;
    private Stage stage;
    private Map<String, Object> details = new LinkedHashMap<>();
    private long stageStartNanos;
    private int lastProgress = -1;
    private long lastCancelCheck;
    private List<PreparedImage> images;

    private final Duration timeout;

    public JobRun(Job job, Workspace workspace, JobRepository jobs, Duration timeout) {
        this.job = job;
        this.workspace = workspace;
        this.jobs = jobs;
        this.timeout = timeout;
    }

    public Job job() {
        return job;
    }

    public Workspace workspaceDirs() {
        return workspace;
    }

    public long claimedAtNanos() {
        return claimedAtNanos;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Another instance took the job over (our heartbeat was too old): stop at the next step boundary. */
    public void markLost() {
        lost = true;
    }

    /** This instance is stopping: give the job back at the next step boundary. */
    public void release() {
        released = true;
    }

    void enter(Stage next) {
        stage = next;
        details = new LinkedHashMap<>();
        stageStartNanos = System.nanoTime();
        progress(0);
    }

    Stage stage() {
        return stage;
    }

    Map<String, Object> details() {
        return details;
    }

    long stageNanos() {
        return System.nanoTime() - stageStartNanos;
    }

    /** Forget the prepared image list, so the next stage reads what preprocessing stored. */
    void refreshImages() {
        images = null;
    }

    @Override
    public String jobId() {
        return job.id();
    }

    @Override
    public Path workspace() {
        return workspace.root();
    }

    @Override
    public Path outputDir() {
        return workspace.output();
    }

    @Override
    public List<PreparedImage> images() {
        if (images == null) {
            List<PreparedImage> prepared = new ArrayList<>();
            List<JobImage> rows = jobs.images(job.id());
            for (int seq = 0; seq < rows.size(); seq++) {
                JobImage row = rows.get(seq);
                if (row.accepted() && row.width() != null) {
                    prepared.add(new PreparedImage(row.key(), workspace.preparedImage(seq), row.width(), row.height(),
                            row.focalPx()));
                }
            }
            images = List.copyOf(prepared);
        }
        return images;
    }

    @Override
    public Quality quality() {
        return job.quality();
    }

    @Override
    public DatasetType datasetType() {
        return job.datasetType();
    }

    @Override
    public void progress(double fraction) {
        double clamped = Math.max(0, Math.min(1, fraction));
        int overall = (int) Math.floor(StageWeights.start(stage) + clamped * StageWeights.weight(stage));
        if (overall != lastProgress) {
            lastProgress = overall;
            jobs.progress(job.id(), stage, overall);
        }
    }

    @Override
    public void checkCanceled() {
        long now = System.currentTimeMillis();
        if (released) {
            throw new JobReleasedException(job.id());
        }
        if (lost) {
            throw new JobCanceledException(job.id());
        }
        if (System.nanoTime() - claimedAtNanos > timeout.toNanos()) {
            throw new JobFailure(ErrorType.TIMEOUT, "ran longer than " + timeout.toSeconds()
                    + " s (E2E3D_JOB_TIMEOUT_SECONDS)" + (stage == null ? "" : "; stopped in " + stage.label()));
        }
        if (now - lastCancelCheck >= CANCEL_CHECK_MS) {
            lastCancelCheck = now;
            if (jobs.cancelRequested(job.id())) {
                throw new JobCanceledException(job.id());
            }
        }
    }

    @Override
    public void log(String message) {
        LOG.info("[{}] {}", job.id(), message);
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
        LOG.warn("[{}] {}", job.id(), message);
    }

    @Override
    public void detail(String key, Object value) {
        details.put(key, value);
    }
}
