package io.e2e3d.engine;

/** The engine has no implementation of a stage; the job fails with error_type stage_not_available. */
public class StageNotAvailableException extends RuntimeException {
    public StageNotAvailableException(String message) {
        super(message);
    }
}
