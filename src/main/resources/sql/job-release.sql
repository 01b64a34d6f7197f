-- A job handed back on shutdown: queued again for any instance, the attempt not counted against it.
UPDATE jobs SET status = 'queued', worker = NULL, heartbeat_at = NULL, attempts = GREATEST(attempts - 1, 0)
WHERE id = :id AND status = 'running' AND worker = :worker
