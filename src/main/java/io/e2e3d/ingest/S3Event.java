package io.e2e3d.ingest;

import java.util.Locale;

/**
 * One record of an S3 event notification (MinIO or AWS), its key already URL-decoded.
 *
 * @param name the event name as sent: {@code s3:ObjectCreated:Put} (MinIO) or {@code ObjectCreated:Put} (AWS)
 * @param etag the object's ETag without quotes, or null when the record has none
 * @param size the object's size in bytes, or null when the record has none
 */
public record S3Event(String name, String bucket, String key, String etag, Long size) {

    /** Any ObjectCreated event (Put, Post, Copy, CompleteMultipartUpload, ...): a new object version. */
    public boolean created() {
        String n = name.startsWith("s3:") ? name.substring(3) : name;
        return n.toLowerCase(Locale.ROOT).startsWith("objectcreated:");
    }
}
