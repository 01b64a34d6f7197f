UPDATE jobs SET heartbeat_at = :now WHERE id = :id AND worker = :worker AND status = 'running'
