package io.e2e3d.engine;

import io.e2e3d.job.DatasetType;
import io.e2e3d.job.Quality;
import java.nio.file.Path;
import java.util.List;

/** What a stage sees of its job: the workspace, the prepared images, and ways to report back. */
public interface StageContext {

    String jobId();

    /** The job's working directory; it survives between stages and across a restart of the job. */
    Path workspace();

    /** Where a stage writes the files to publish (sparse.ply, dense.ply, mesh.ply, ...). */
    Path outputDir();

    /** The accepted images, decoded, downscaled and stored as RGB PNG by preprocessing, in upload order. */
    List<PreparedImage> images();

    Quality quality();

    DatasetType datasetType();

    /** Progress within the current stage, 0..1; the job's overall progress never goes backwards. */
    void progress(double fraction);

    /** Throws {@link JobCanceledException} when the job was canceled; call it between units of work. */
    void checkCanceled();

    /** A line for the job log. */
    void log(String message);

    /** A warning that ends up in report.json. */
    void warn(String message);

    /** A figure for the stage's details and report.json (counts, errors, sizes). */
    void detail(String key, Object value);
}
