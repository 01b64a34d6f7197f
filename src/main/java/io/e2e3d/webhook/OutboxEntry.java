package io.e2e3d.webhook;

import java.time.OffsetDateTime;

/**
 * One claimed row of webhook_outbox.
 *
 * @param id       the delivery id, the same on every attempt (receivers use it to drop repeats)
 * @param attempts attempts made, this one included
 */
public record OutboxEntry(String id, String jobId, String url, String jobStatus, OffsetDateTime eventAt, int attempts) {
}
