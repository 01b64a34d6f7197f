package io.e2e3d.job;

/** A job cannot go on; carries the error_type and the message a user reads. */
public class JobFailure extends RuntimeException {

    private final ErrorType type;

    public JobFailure(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }
}
