package io.e2e3d.webhook;

import java.time.Duration;

/**
 * When to try a failed delivery again: the initial wait doubled after every attempt, plus up to a quarter
 * more at random (so deliveries that failed together, say while a receiver was down, do not all come back
 * at the same instant), and never more than an hour.
 */
final class Backoff {

    static final Duration MAX = Duration.ofHours(1);

    private Backoff() {
    }

    /**
     * @param attempts attempts made so far (1 after the first)
     * @param random   a number in [0, 1)
     */
    static Duration after(Duration initial, int attempts, double random) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 20); // 2^20 times anything sensible is past MAX
        double millis = initial.toMillis() * (double) (1L << doublings) * (1 + random / 4);
        return millis >= MAX.toMillis() ? MAX : Duration.ofMillis((long) millis);
    }
}
