package io.e2e3d.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.engine.Engines;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.Stage;
import io.e2e3d.metrics.FlowMetrics;
import java.time.Duration;
import org.slf4j.MDC;

/** What every stage route does around its work: record the start, run the work, record the end. */
public class StageRunner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobRepository jobs;
    private final Preprocessor preprocessor;
    private final Engines engines;
    private final FlowMetrics metrics;

    public StageRunner(JobRepository jobs, Preprocessor preprocessor, Engines engines, FlowMetrics metrics) {
        this.jobs = jobs;
        this.preprocessor = preprocessor;
        this.engines = engines;
        this.metrics = metrics;
    }

    /** False for a stage a previous attempt completed: a resumed job never redoes it. */
    public boolean pending(JobRun run, Stage stage) {
        return !jobs.completedStages(run.jobId()).contains(stage.label());
    }

    public void begin(JobRun run, Stage stage) {
        run.checkCanceled();
        run.enter(stage);
        MDC.put("stage", stage.label());
        HeapPeak.reset();
        jobs.stageStarted(run.jobId(), stage);
    }

    public void execute(JobRun run, Stage stage) throws Exception {
        if (stage == Stage.PREPROCESSING) {
            preprocessor.run(run);
        } else {
            engines.require(run.job().engine()).run(stage, run);
        }
        run.progress(1);
    }

    public void finish(JobRun run, Stage stage) {
        long nanos = run.stageNanos();
        long peak = HeapPeak.bytes();
        run.detail("peak_heap_bytes", peak);
        jobs.stageFinished(run.jobId(), stage, "completed", nanos / 1_000_000, details(run));
        metrics.stageFinished(stage.label(), run.datasetType().label(), Duration.ofNanos(nanos), peak);
    }

    /** Closes the running stage's row as failed or canceled, with the reason in its details. */
    public void abort(JobRun run, String status, String reason) {
        if (run.stage() != null) {
            run.detail("error", reason);
            jobs.stageFinished(run.jobId(), run.stage(), status, run.stageNanos() / 1_000_000, details(run));
        }
    }

    static String details(JobRun run) {
        try {
            return run.details().isEmpty() ? null : JSON.writeValueAsString(run.details());
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
