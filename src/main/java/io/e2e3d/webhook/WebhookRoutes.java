package io.e2e3d.webhook;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers the webhooks of ended jobs from the outbox: every e2e3d.webhook.poll-ms, claim the due rows
 * (FOR UPDATE SKIP LOCKED, so any number of instances share them), then build, post and record each.
 */
public class WebhookRoutes extends RouteBuilder {

    @Override
    public void configure() {
        WebhookDeliveries deliveries = getContext().getRegistry().findSingleByType(WebhookDeliveries.class);

        // the database was unreachable: nothing was lost (a claimed row's lease runs out and it is retried)
        onException(Exception.class).id("webhook-on-error").handled(true)
                .log(LoggingLevel.WARN, "Webhook delivery poll failed: ${exception.message}").id("webhook-log-error");

        from("timer:webhook-delivery?period={{e2e3d.webhook.poll-ms}}&delay=2000").routeId("webhook-delivery")
                .process(e -> e.getMessage().setBody(deliveries.claimDue())).id("claim-due-webhooks")
                .split(body()).id("each-webhook")
                    .process(e -> e.getMessage().setBody(deliveries.prepare(e.getMessage().getBody(OutboxEntry.class))))
                        .id("build-webhook-body")
                    .process(e -> e.getMessage().setBody(deliveries.send(e.getMessage().getBody(WebhookDeliveries.Attempt.class))))
                        .id("post-webhook")
                    .process(e -> deliveries.record(e.getMessage().getBody(WebhookDeliveries.Attempt.class)))
                        .id("record-webhook-outcome")
                .end()
                .process(e -> deliveries.countPending()).id("count-pending-webhooks");
    }
}
