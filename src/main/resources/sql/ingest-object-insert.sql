-- The idempotency gate: only the first writer of (bucket, key, etag), on any instance, gets a row.
INSERT INTO ingest_objects (bucket, object_key, etag, size_bytes, kind, reason, seen_at)
VALUES (:bucket, :key, :etag, :size, :kind, :reason, :now)
ON CONFLICT DO NOTHING
