package io.e2e3d.engine.colmap;

/** The colmap binary could not be started, failed, or timed out; the job fails with an internal error. */
public class ColmapException extends RuntimeException {
    public ColmapException(String message) {
        super(message);
    }

    public ColmapException(String message, Throwable cause) {
        super(message, cause);
    }
}
