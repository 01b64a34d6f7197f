package io.e2e3d.api;

import io.e2e3d.ingest.EventIngest;
import io.e2e3d.ingest.S3EventNotification;
import java.util.Locale;
import org.apache.camel.Exchange;

/**
 * POST /api/ingest/events: S3 event notifications from MinIO's webhook target, recorded like objects the
 * watcher lists. Answers 200 with what was recorded, what was a duplicate and what was ignored and why;
 * 400 for a body that is no S3 event notification (MinIO would retry a 5xx, so only an outage gets one).
 */
public class IngestEventsApi {

    /** Far above any real notification (MinIO sends one record of about 1 KB). */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final EventIngest ingest;

    public IngestEventsApi(EventIngest ingest) {
        this.ingest = ingest;
    }

    public Object receive(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/")) {
            // the HTTP server has already taken such a body apart as form fields
            throw new ApiException(415, "send the event notification as application/json");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "an event notification is at most " + MAX_BODY_BYTES + " bytes");
        }
        S3EventNotification.Parsed notification;
        try {
            notification = S3EventNotification.parse(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(Keys.printable(e.getMessage()));
        }
        return ingest.ingest("webhook", notification).toJson();
    }
}
