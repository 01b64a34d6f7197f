package io.e2e3d.ingest;

import io.e2e3d.metrics.FlowMetrics;
import io.e2e3d.storage.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second way into ingest: S3 event notifications (MinIO's webhook, or SQS on AWS) record new objects in
 * the same ledger as the bucket watcher, so an object seen both ways is one row (bucket, key, ETag), and its
 * dataset seals into a job the same way (marker, manifest or quiet period). Only ObjectCreated events of the
 * watched bucket with a safe key are recorded; every other record is reported as ignored, with the reason.
 */
public class EventIngest {

    /** The ledger's column widths. */
    private static final int MAX_KEY = 1024;
    private static final int MAX_ETAG = 128;

    /** What became of one notification's records. */
    public record Report(List<Map<String, Object>> recorded, List<String> duplicates, List<IgnoredEvent> ignored) {
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("recorded", recorded);
            json.put("duplicates", duplicates);
            json.put("ignored", ignored.stream().map(i -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("bucket", i.bucket());
                m.put("key", i.key());
                m.put("event", i.event());
                m.put("reason", i.reason());
                return m;
            }).toList());
            return json;
        }
    }

    private final IngestLedger ledger;
    private final ObjectStore store;
    private final FlowMetrics metrics;
    private final String bucket;

    public EventIngest(IngestLedger ledger, ObjectStore store, FlowMetrics metrics, String bucket) {
        this.ledger = ledger;
        this.store = store;
        this.metrics = metrics;
        this.bucket = bucket;
    }

    /**
     * Records the notification's new objects. A database or object store failure propagates, so the sender
     * delivers the notification again (MinIO retries a non-2xx answer, SQS redelivers an undeleted message).
     *
     * @param source {@code webhook} or {@code sqs}, for the metrics
     */
    public Report ingest(String source, S3EventNotification.Parsed notification) {
        List<Map<String, Object>> recorded = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        List<IgnoredEvent> ignored = new ArrayList<>(notification.ignored());
        for (S3Event event : notification.events()) {
            String reason = reasonToIgnore(event);
            S3Event e = event;
            if (reason == null && (e.etag() == null || e.size() == null)) {
                // a record without ETag or size: ask the store, so the ledger keys it like the watcher would
                ObjectStore.ObjectVersion version = store.head(e.bucket(), e.key());
                if (version == null) {
                    reason = "the object no longer exists";
                } else {
                    e = new S3Event(e.name(), e.bucket(), e.key(), version.etag(), version.size());
                }
            }
            if (reason != null) {
                ignored.add(new IgnoredEvent(event.bucket(), event.key(), event.name(), reason));
                continue;
            }
            SeenObject object = SeenObject.classify(e.bucket(), e.key(), e.etag(), e.size()).limitedTo(ledger.maxImageBytes());
            if (ledger.record(object)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("key", object.key());
                row.put("kind", object.kind().label());
                if (object.reason() != null) {
                    row.put("reason", object.reason());
                }
                recorded.add(row);
            } else {
                duplicates.add(object.key());
            }
        }
        count(source, "recorded", recorded.size());
        count(source, "duplicate", duplicates.size());
        count(source, "ignored", ignored.size());
        return new Report(recorded, duplicates, ignored);
    }

    /** A notification that was no S3 event notification at all (dropped): counted as one ignored record. */
    public void countMalformed(String source) {
        count(source, "ignored", 1);
    }

    private String reasonToIgnore(S3Event e) {
        if (!e.created()) {
            return "not an ObjectCreated event: nothing to ingest";
        }
        if (!e.bucket().equals(bucket)) {
            return "bucket '" + e.bucket() + "' is not the watched bucket '" + bucket + "'";
        }
        String unsafe = unsafeKey(e.key());
        if (unsafe != null) {
            return unsafe;
        }
        if (e.etag() != null && e.etag().length() > MAX_ETAG) {
            return "ETag longer than " + MAX_ETAG + " characters";
        }
        return null;
    }

    /**
     * Keys the watcher would never list from a sane store, and that must not become paths in a workspace:
     * empty, too long, absolute, with '.', '..' or empty segments, backslashes or control characters.
     */
    static String unsafeKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY) {
            return "key must be 1-" + MAX_KEY + " characters";
        }
        if (key.startsWith("/")) {
            return "unsafe key: starts with '/'";
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".") || s.equals("..") || (s.isEmpty() && !last)) {
                return "unsafe key: '.', '..' or empty path segments";
            }
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                return "unsafe key: control characters or backslashes";
            }
        }
        return null;
    }

    private void count(String source, String outcome, int n) {
        if (n > 0) {
            metrics.ingestEvents(source, outcome, n);
        }
    }
}
