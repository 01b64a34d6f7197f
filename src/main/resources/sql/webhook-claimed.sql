SELECT id, job_id, url, job_status, event_at, attempts FROM webhook_outbox WHERE id IN (:ids) ORDER BY event_at, id
