-- A dataset folder the REST API created for an upload belongs to that job alone.
SELECT id FROM ingest_batches WHERE bucket = :bucket AND dataset = :dataset AND source = 'api'
