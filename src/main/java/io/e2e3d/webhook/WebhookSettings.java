package io.e2e3d.webhook;

import java.time.Duration;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The e2e3d.webhook.* settings. The secret signs bodies and is never printed: toString leaves it out.
 *
 * @param maxAttempts    attempts before a delivery is given up (status failed)
 * @param initialBackoff wait after the first failed attempt; doubled after each further one
 * @param timeout        connect timeout, and the longest wait for the receiver's answer
 * @param secret         HMAC-SHA256 key for the signature header; empty = bodies are not signed
 */
public record WebhookSettings(int maxAttempts, Duration initialBackoff, Duration timeout, String secret) {

    public static WebhookSettings load(PropertiesComponent p) {
        return new WebhookSettings(
                atLeast(p, "e2e3d.webhook.max-attempts", 1),
                Duration.ofSeconds(atLeast(p, "e2e3d.webhook.backoff-seconds", 1)),
                Duration.ofSeconds(atLeast(p, "e2e3d.webhook.timeout-seconds", 1)),
                p.resolveProperty("e2e3d.webhook.secret").map(String::trim).orElse(""));
    }

    public boolean signed() {
        return !secret.isEmpty();
    }

    @Override
    public String toString() {
        return "WebhookSettings[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", timeout=" + timeout
                + ", signed=" + signed() + "]";
    }

    private static int atLeast(PropertiesComponent p, String key, int min) {
        String value = p.resolveProperty(key).map(String::trim).orElse("");
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting " + key + " must be a whole number of at least " + min + ", got '" + value + "'");
    }
}
