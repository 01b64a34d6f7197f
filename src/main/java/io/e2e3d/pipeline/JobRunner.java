package io.e2e3d.pipeline;

import io.e2e3d.engine.JobCanceledException;
import io.e2e3d.engine.JobReleasedException;
import io.e2e3d.engine.ReconstructionFailedException;
import io.e2e3d.engine.StageNotAvailableException;
import io.e2e3d.job.ErrorType;
import io.e2e3d.job.Job;
import io.e2e3d.job.JobFailure;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.JobStatus;
import io.e2e3d.metrics.FlowMetrics;
import io.e2e3d.retry.TransientFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Claims jobs from the queue for this instance's workers, keeps their heartbeat, and ends them: completed
 * after publishing, failed with an error_type and a message, or canceled.
 */
public class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final StageRunner stages;
    private final ResultPublisher publisher;
    private final FlowMetrics metrics;
    private final Path workDir;
    private final String instanceId;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration timeout;
    private volatile boolean stopping;
    private final Map<String, JobRun> active = new ConcurrentHashMap<>();

    public JobRunner(JobRepository jobs, StageRunner stages, ResultPublisher publisher, FlowMetrics metrics, Path workDir,
            String instanceId, int heartbeatSeconds, int maxAttempts, Duration timeout, ScheduledExecutorService scheduler) {
        this.jobs = jobs;
        this.stages = stages;
        this.publisher = publisher;
        this.metrics = metrics;
        this.workDir = workDir;
        this.instanceId = instanceId;
        this.lease = Duration.ofSeconds(heartbeatSeconds * 3L);
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        scheduler.scheduleWithFixedDelay(this::beat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
    }

    /** The next job for worker {@code worker}, or null when the queue is empty. */
    public JobRun claim(int worker) throws IOException {
        if (stopping) {
            return null;
        }
        String workerId = instanceId + "/" + worker;
        OffsetDateTime staleBefore = OffsetDateTime.now(ZoneOffset.UTC).minus(lease);
        Job job = jobs.claim(workerId, staleBefore).orElse(null);
        if (job == null) {
            return null;
        }
        if (job.attempts() > maxAttempts) {
            String message = "claimed " + job.attempts() + " times without finishing (its worker stopped each time"
                    + (job.stage() == null ? "" : ", last in " + job.stage()) + "); at most " + maxAttempts + " attempts";
            jobs.finish(job.id(), workerId, JobStatus.FAILED, ErrorType.TOO_MANY_ATTEMPTS, message);
            metrics.stageError(job.stage() == null ? "none" : job.stage(), ErrorType.TOO_MANY_ATTEMPTS.label());
            metrics.jobStarted();
            metrics.jobEnded(JobStatus.FAILED.label(), Duration.ZERO, Duration.between(job.createdAt(), OffsetDateTime.now(ZoneOffset.UTC)));
            LOG.warn("Job {} failed: {}", job.id(), message);
            return null;
        }
        MDC.put("job_id", job.id());
        LOG.info("Worker {} claimed job {} (attempt {})", workerId, job.id(), job.attempts());
        if (job.attempts() > 1 && !Files.isDirectory(workDir.resolve(job.id()))) {
            // the stages done so far left their files on another instance's disk: do them again here
            jobs.resetStages(job.id());
            LOG.info("Job {} has no workspace on this instance: its stages start over", job.id());
        }
        JobRun run = new JobRun(job, Workspace.of(workDir, job.id()), jobs, timeout);
        active.put(job.id(), run);
        metrics.jobStarted();
        return run;
    }

    public void complete(JobRun run) throws IOException {
        run.checkCanceled();
        publisher.publish(run);
        ModelFigures model = ModelFigures.of(jobs.stages(run.jobId()));
        jobs.recordModel(run.jobId(), model.points(), model.faces(), model.registeredViews());
        metrics.model(run.datasetType().label(), model.points(), model.faces());
        end(run, JobStatus.COMPLETED, null, null);
    }

    /** Stops claiming and asks every running job to hand itself back at its next step boundary. */
    public void releaseAll() {
        stopping = true;
        active.values().forEach(JobRun::release);
    }

    /** Ends the job after an exception in a stage; the exception decides between failed, canceled and handed back. */
    public void fail(JobRun run, Exception cause) {
        if (cause instanceof JobReleasedException) {
            handBack(run, "at shutdown");
            return;
        }
        if (TransientFault.is(cause)) {
            // the object store or the database stayed down through every retry: not the job's fault, so it goes
            // back to the queue (the attempt not counted) and is claimed again once the claim itself gets through
            LOG.warn("Job {}: {} unreachable through every retry ({})", run.jobId(),
                    errorType(cause) == ErrorType.STORAGE_ERROR ? "object store" : "database", cause.getMessage());
            handBack(run, "after a transient fault");
            return;
        }
        if (cause instanceof JobCanceledException) {
            stages.abort(run, "canceled", "canceled");
            end(run, JobStatus.CANCELED, null, "canceled by request");
            return;
        }
        ErrorType type = errorType(cause);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (type == ErrorType.INTERNAL_ERROR || type == ErrorType.STORAGE_ERROR || type == ErrorType.DATABASE_ERROR) {
            LOG.error("Job {} failed in {}", run.jobId(), run.stage(), cause);
        }
        stages.abort(run, "failed", message);
        metrics.stageError(run.stage() == null ? "none" : run.stage().label(), type.label());
        end(run, JobStatus.FAILED, type, message);
    }

    private void handBack(JobRun run, String why) {
        active.remove(run.jobId());
        jobs.release(run.jobId(), run.job().worker());
        metrics.jobReleased();
        LOG.info("Job {} handed back to the queue {}{}", run.jobId(), why,
                run.stage() == null ? "" : " (in " + run.stage().label() + ", which restarts)");
        MDC.remove("stage");
        MDC.remove("job_id");
    }

    static ErrorType errorType(Exception cause) {
        if (cause instanceof JobFailure failure) {
            return failure.type();
        }
        if (cause instanceof StageNotAvailableException) {
            return ErrorType.STAGE_NOT_AVAILABLE;
        }
        if (cause instanceof ReconstructionFailedException) {
            return ErrorType.RECONSTRUCTION_FAILED;
        }
        if (cause instanceof SdkException) {
            return ErrorType.STORAGE_ERROR;
        }
        if (cause instanceof DataAccessException || cause instanceof TransactionException) {
            return ErrorType.DATABASE_ERROR;
        }
        return ErrorType.INTERNAL_ERROR;
    }

    private void end(JobRun run, JobStatus status, ErrorType type, String message) {
        active.remove(run.jobId());
        boolean ended = jobs.finish(run.jobId(), run.job().worker(), status, type, message);
        Job job = run.job();
        Duration processing = Duration.ofNanos(System.nanoTime() - run.claimedAtNanos());
        Duration total = Duration.between(job.createdAt(), OffsetDateTime.now(ZoneOffset.UTC));
        if (ended) {
            metrics.jobEnded(status.label(), processing, total);
            LOG.info("Job {} {}{}", job.id(), status.label(), message == null ? "" : ": " + message);
        } else {
            metrics.jobReleased();
        }
        MDC.remove("stage");
        MDC.remove("job_id");
    }

    private void beat() {
        for (JobRun run : active.values()) {
            try {
                if (!jobs.heartbeat(run.jobId(), run.job().worker())) {
                    run.markLost();
                }
            } catch (RuntimeException e) {
                LOG.warn("Heartbeat for job {} failed: {}", run.jobId(), e.getMessage());
            }
        }
    }

}
