UPDATE jobs SET cancel_requested = TRUE WHERE id = :id AND status = 'running'
