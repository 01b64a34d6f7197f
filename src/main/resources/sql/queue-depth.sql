SELECT status, COUNT(*) AS jobs FROM jobs WHERE status IN ('queued', 'running') GROUP BY status
