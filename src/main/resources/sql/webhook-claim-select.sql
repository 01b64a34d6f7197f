-- Due deliveries, oldest first. SKIP LOCKED lets every instance claim different rows without waiting.
SELECT id FROM webhook_outbox
WHERE status = 'pending' AND next_attempt_at <= :now
ORDER BY next_attempt_at, id
LIMIT :limit
FOR UPDATE SKIP LOCKED
