UPDATE jobs
SET status = 'running', worker = :worker, attempts = attempts + 1,
    started_at = COALESCE(started_at, :now), heartbeat_at = :now
WHERE id = :id
