package io.e2e3d.engine;

import io.e2e3d.job.Stage;

/**
 * A reconstruction engine runs the stages after preprocessing (feature extraction to texturing) over a
 * job's workspace. The pipeline calls {@link #run} once per stage, in order, and may resume a job at any
 * stage after a restart: an engine keeps whatever a later stage needs in the workspace, never in memory.
 */
public interface ReconstructionEngine {

    /** The name a job or manifest selects the engine by, for example {@code boofcv} or {@code colmap}. */
    String name();

    /** Whether the engine can run on this machine (its libraries load, its binary is found). */
    boolean available();

    /** Runs one stage; throws {@link StageNotAvailableException} for a stage it does not implement. */
    void run(Stage stage, StageContext context) throws Exception;
}
