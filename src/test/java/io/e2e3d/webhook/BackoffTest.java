package io.e2e3d.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration FIVE = Duration.ofSeconds(5);

    @Test
    void doublesAfterEachAttempt() {
        assertEquals(Duration.ofSeconds(5), Backoff.after(FIVE, 1, 0));
        assertEquals(Duration.ofSeconds(10), Backoff.after(FIVE, 2, 0));
        assertEquals(Duration.ofSeconds(40), Backoff.after(FIVE, 4, 0));
    }

    @Test
    void jitterAddsAtMostAQuarter() {
        Duration most = Backoff.after(FIVE, 2, 0.999_999);
        assertTrue(most.compareTo(Duration.ofSeconds(10)) > 0 && most.compareTo(Duration.ofMillis(12_500)) <= 0, most.toString());
    }

    @Test
    void neverWaitsMoreThanAnHourHoweverManyAttempts() {
        assertEquals(Backoff.MAX, Backoff.after(FIVE, 11, 0.5));
        assertEquals(Backoff.MAX, Backoff.after(FIVE, 1_000, 0.9));
        assertEquals(Backoff.MAX, Backoff.after(Duration.ofDays(2), 1, 0));
    }
}
