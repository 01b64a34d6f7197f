package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.engine.JobCanceledException;
import io.e2e3d.engine.synthetic.SyntheticRun;
import io.e2e3d.job.Stage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A cancel arriving while a stage's workers run ends the stage, and no worker thread outlives it. */
class CancelInsideStagesTest {

    /** Live worker threads; a thread whose pool has terminated may take a moment to finish exiting. */
    private static List<String> workers() throws InterruptedException {
        List<String> alive = List.of();
        for (int i = 0; i < 50; i++) {
            alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("boofcv-")).toList();
            if (alive.isEmpty()) break;
            Thread.sleep(20);
        }
        return alive;
    }

    @Test
    @Timeout(600) // a guard against a hang
    void cancelDuringMatchingAndDenseStopsTheWorkers(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 10, 15, 320, 240, 260, true);
        run.context.verbose = false;
        BoofcvEngine engine = new BoofcvEngine(BoofcvEngine.Settings.defaults().withThreads(2));
        engine.run(Stage.FEATURE_EXTRACTION, run.context);

        CancelAfterProgress matching = new CancelAfterProgress(run, 2);
        assertThrows(JobCanceledException.class, () -> engine.run(Stage.FEATURE_MATCHING, matching));
        assertTrue(workers().isEmpty(), "workers left after matching: " + workers());

        engine.run(Stage.FEATURE_MATCHING, run.context);
        engine.run(Stage.SPARSE_RECONSTRUCTION, run.context);
        CancelAfterProgress dense = new CancelAfterProgress(run, 1);
        assertThrows(JobCanceledException.class, () -> engine.run(Stage.DENSE_RECONSTRUCTION, dense));
        assertTrue(workers().isEmpty(), "workers left after the plane sweep: " + workers());
        assertTrue(dense.lastProgress < 0.75, "canceled before all depth maps: " + dense.lastProgress);
    }

    /** The run's context that asks to cancel once the stage has reported progress {@code after} times. */
    private static final class CancelAfterProgress extends io.e2e3d.engine.TestStageContext {
        private final int after;
        private int calls;

        CancelAfterProgress(SyntheticRun run, int after) {
            super("cancel", run.context.workspace(), run.context.outputDir(), run.context.images());
            this.after = after;
            this.verbose = false;
        }

        @Override
        public void progress(double fraction) {
            super.progress(fraction);
            if (++calls >= after) cancel = true;
        }
    }
}
