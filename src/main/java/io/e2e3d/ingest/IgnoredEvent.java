package io.e2e3d.ingest;

/** An event record that was not ingested, and why (fields the record did not carry are null). */
public record IgnoredEvent(String bucket, String key, String event, String reason) {
}
