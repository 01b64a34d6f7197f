-- The oldest queued job, or a running one whose worker stopped beating (it resumes after its last stage).
-- SKIP LOCKED lets any number of workers on any number of instances claim without waiting on each other.
SELECT id FROM jobs
WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < :staleBefore)
ORDER BY created_at, id
LIMIT 1
FOR UPDATE SKIP LOCKED
