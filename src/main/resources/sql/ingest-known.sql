-- The keys of one listing page the ledger already holds: one query per page of up to 1000 keys.
SELECT object_key, etag FROM ingest_objects
WHERE bucket = :bucket AND object_key >= :firstKey AND object_key <= :lastKey
