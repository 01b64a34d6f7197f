package io.e2e3d.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 event notifications from an SQS queue (AWS), when E2E3D_SQS_QUEUE_URL is set: each message is recorded
 * like a MinIO webhook call, and the consumer deletes it only when that succeeded. A failure (database or
 * object store down) leaves it in the queue, to be received again after its visibility timeout. A message
 * that is no S3 event notification can never succeed: it is logged and deleted.
 */
public class SqsEventRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEventRoutes.class);

    @Override
    public void configure() {
        SqsQueue queue = getContext().getRegistry().lookupByNameAndType("sqsQueue", SqsQueue.class);
        if (queue == null) {
            return; // no queue configured: events come by webhook, or not at all
        }
        EventIngest ingest = getContext().getRegistry().findSingleByType(EventIngest.class);

        // one WARN line per failed message (the consumer adds its own), not a route dump at ERROR each time
        errorHandler(defaultErrorHandler().logExhausted(false));
        // handled(false): the exchange stays failed, so the consumer does not delete the message
        onException(Exception.class).id("sqs-on-error").handled(false)
                .log(LoggingLevel.WARN, "S3 event message ${header.CamelAwsSqsMessageId} not recorded (${exception.message});"
                        + " it stays in the queue and comes back after its visibility timeout").id("sqs-log-error");

        fromF("aws2-sqs://%s?amazonSQSClient=#sqsClient&queueUrl=RAW(%s)&autoCreateQueue=false&deleteAfterRead=true"
                + "&waitTimeSeconds={{e2e3d.sqs.wait-seconds}}&maxMessagesPerPoll=10"
                // while the queue cannot be reached: after 3 failed polls, poll every 30 s instead of every second
                + "&delay=1000&backoffErrorThreshold=3&backoffMultiplier=30", queue.name(), queue.url())
                .routeId("ingest-sqs")
                .process(e -> record(ingest, e)).id("record-s3-events");
    }

    private static void record(EventIngest ingest, Exchange exchange) {
        String messageId = exchange.getMessage().getHeader("CamelAwsSqsMessageId", String.class);
        S3EventNotification.Parsed notification;
        try {
            notification = S3EventNotification.parse(exchange.getMessage().getBody(byte[].class));
        } catch (IllegalArgumentException e) {
            LOG.warn("SQS message {} is no S3 event notification and is deleted: {}", messageId, e.getMessage());
            ingest.countMalformed("sqs");
            return;
        }
        EventIngest.Report report = ingest.ingest("sqs", notification);
        for (IgnoredEvent ignored : report.ignored()) {
            LOG.info("S3 event {}{} ignored: {}", ignored.event(),
                    ignored.key() == null ? "" : " for s3://" + ignored.bucket() + "/" + ignored.key(), ignored.reason());
        }
    }
}
