UPDATE webhook_outbox
SET next_attempt_at = :nextAttemptAt, last_http_status = :httpStatus, last_error = :error
WHERE id = :id AND status = 'pending'
