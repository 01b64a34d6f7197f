-- GREATEST keeps progress from ever going backwards, whatever order updates arrive in.
UPDATE jobs SET stage = :stage, progress = GREATEST(progress, :progress), heartbeat_at = :now
WHERE id = :id AND status = 'running'
