package io.e2e3d.engine;

/** Raised at a step boundary when the job was canceled; the job ends canceled, not failed. */
public class JobCanceledException extends RuntimeException {
    public JobCanceledException(String jobId) {
        super("job " + jobId + " was canceled");
    }
}
