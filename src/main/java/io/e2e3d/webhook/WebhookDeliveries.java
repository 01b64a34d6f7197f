package io.e2e3d.webhook;

import io.e2e3d.metrics.FlowMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the webhook-delivery route: claim the due deliveries, build each body, post it, and record
 * the outcome (delivered, retry later with backoff, or failed for good after the last attempt).
 * Logs name the job and the delivery id, never the URL (receivers often put a token in it).
 */
public class WebhookDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);
    /** Deliveries claimed per poll: each may take up to the timeout, and all of them must fit in one lease. */
    static final int BATCH = 10;

    /** One attempt on its way through the route: the body once built, the answer once posted. */
    public record Attempt(OutboxEntry entry, byte[] body, WebhookSender.Answer answer) {
    }

    private final WebhookOutbox outbox;
    private final WebhookPayload payload;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final FlowMetrics metrics;

    public WebhookDeliveries(WebhookOutbox outbox, WebhookPayload payload, WebhookSender sender, WebhookSettings settings,
            FlowMetrics metrics) {
        this.outbox = outbox;
        this.payload = payload;
        this.sender = sender;
        this.settings = settings;
        this.metrics = metrics;
    }

    public List<OutboxEntry> claimDue() {
        // a generous lease: every claimed delivery can time out in turn before another instance may retry them
        Duration lease = settings.timeout().multipliedBy(BATCH * 2L).plusSeconds(60);
        return outbox.claimDue(BATCH, lease);
    }

    public Attempt prepare(OutboxEntry entry) {
        try {
            return new Attempt(entry, payload.build(entry), null);
        } catch (Exception e) {
            // the job's row or its result listing could not be read: try again later like a failed post
            return new Attempt(entry, null, new WebhookSender.Answer(null, "could not build the body: " + e.getMessage()));
        }
    }

    public Attempt send(Attempt attempt) {
        if (attempt.body() == null) {
            return attempt;
        }
        return new Attempt(attempt.entry(), attempt.body(), sender.post(attempt.entry().url(), attempt.entry().id(), attempt.body()));
    }

    public void record(Attempt attempt) {
        OutboxEntry e = attempt.entry();
        WebhookSender.Answer answer = attempt.answer();
        if (answer.delivered()) {
            outbox.delivered(e.id(), answer.httpStatus());
            metrics.webhookDelivery("delivered");
            LOG.info("Webhook for job {} delivered (delivery {}, attempt {}, HTTP {})", e.jobId(), e.id(), e.attempts(),
                    answer.httpStatus());
        } else if (e.attempts() >= settings.maxAttempts()) {
            outbox.giveUp(e.id(), answer.httpStatus(), answer.error());
            metrics.webhookDelivery("failed");
            LOG.warn("Webhook for job {} given up after {} attempts (delivery {}): {}", e.jobId(), e.attempts(), e.id(),
                    answer.error());
        } else {
            Duration wait = Backoff.after(settings.initialBackoff(), e.attempts(), ThreadLocalRandom.current().nextDouble());
            outbox.retryAt(e.id(), WebhookOutbox.now().plus(wait), answer.httpStatus(), answer.error());
            metrics.webhookDelivery("retry");
            LOG.info("Webhook for job {} not delivered (delivery {}, attempt {} of {}): {}; next attempt in {} s", e.jobId(),
                    e.id(), e.attempts(), settings.maxAttempts(), answer.error(), wait.toSeconds());
        }
    }

    public void countPending() {
        metrics.webhookPending(outbox.pending());
    }
}
