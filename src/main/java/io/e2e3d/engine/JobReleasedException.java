package io.e2e3d.engine;

/** Raised at a step boundary when this instance is shutting down: the job goes back to the queue. */
public class JobReleasedException extends RuntimeException {
    public JobReleasedException(String jobId) {
        super("job " + jobId + " handed back: this instance is stopping");
    }
}
