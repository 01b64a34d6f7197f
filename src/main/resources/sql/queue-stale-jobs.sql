SELECT COUNT(*) FROM jobs WHERE status = 'running' AND heartbeat_at < :staleBefore
