package io.e2e3d.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.storage.ObjectStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an S3 event notification: MinIO's webhook body ({@code {"EventName", "Key", "Records": [...]}}),
 * AWS's ({@code {"Records": [...]}}), either wrapped in an SNS notification ({@code {"Type": "Notification",
 * "Message": "<the event as a string>"}}), or AWS's {@code s3:TestEvent}. Object keys arrive URL-encoded
 * (form encoding: {@code +} is a space) and are decoded here. A body that is no event at all is refused with
 * an IllegalArgumentException; a record that cannot be used is kept as ignored, with the reason.
 */
public final class S3EventNotification {

    /** More records than any S3 sends in one notification (MinIO sends one, AWS a few). */
    static final int MAX_RECORDS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What a notification holds: the usable records, and the ones that were not, each with its reason. */
    public record Parsed(List<S3Event> events, List<IgnoredEvent> ignored) {
    }

    private S3EventNotification() {
    }

    public static Parsed parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new IllegalArgumentException("the body is empty: send an S3 event notification (JSON with Records)");
        }
        JsonNode root = json(body);
        if (root.isObject() && "Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
            root = json(root.path("Message").asText().getBytes(StandardCharsets.UTF_8)); // SNS wrapped it
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with a Records array");
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return new Parsed(List.of(), List.of(new IgnoredEvent(root.path("Bucket").asText(null), null, "s3:TestEvent",
                    "test event S3 sends when notifications are set up; nothing to ingest")));
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("no Records array: not an S3 event notification");
        }
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException(records.size() + " records; at most " + MAX_RECORDS + " per notification");
        }
        List<S3Event> events = new ArrayList<>();
        List<IgnoredEvent> ignored = new ArrayList<>();
        for (JsonNode record : records) {
            String name = text(record.path("eventName"));
            String bucket = text(record.path("s3").path("bucket").path("name"));
            String rawKey = text(record.path("s3").path("object").path("key"));
            if (name == null || bucket == null || rawKey == null) {
                ignored.add(new IgnoredEvent(bucket, rawKey, name,
                        "malformed record: eventName, s3.bucket.name and s3.object.key must be strings"));
                continue;
            }
            String key;
            try {
                key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                ignored.add(new IgnoredEvent(bucket, rawKey, name, "s3.object.key is not URL-encoded correctly"));
                continue;
            }
            JsonNode object = record.path("s3").path("object");
            String etag = text(object.path("eTag"));
            events.add(new S3Event(name, bucket, key, etag == null || etag.isBlank() ? null : ObjectStore.unquote(etag),
                    size(object.path("size"))));
        }
        return new Parsed(events, ignored);
    }

    private static JsonNode json(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("the body is empty: send an S3 event notification (JSON with Records)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable body");
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    /** A number, or a string of digits (some S3-compatible stores send the size as a string). */
    private static Long size(JsonNode node) {
        if (node.isIntegralNumber() && node.asLong() >= 0) {
            return node.asLong();
        }
        if (node.isTextual() && node.asText().matches("[0-9]{1,18}")) {
            return Long.parseLong(node.asText());
        }
        return null;
    }
}
