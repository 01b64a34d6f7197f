package io.e2e3d.engine;

/** The reconstruction ran but its result is not good enough to publish; the message says what to do. */
public class ReconstructionFailedException extends RuntimeException {
    public ReconstructionFailedException(String message) {
        super(message);
    }
}
