-- Run in the transaction that ends the job: a job that ended with a notify_url gets its one delivery row.
-- Its status and time are read from the row just updated, so they are exactly what the API shows.
INSERT INTO webhook_outbox (id, job_id, url, job_status, event_at, status, attempts, next_attempt_at)
SELECT :deliveryId, id, notify_url, status, finished_at, 'pending', 0, finished_at
FROM jobs
WHERE id = :jobId AND notify_url IS NOT NULL AND status IN ('completed', 'failed', 'canceled')
