-- No more attempts: the row stays, failed, with the last error, for the operator to see.
UPDATE webhook_outbox
SET status = 'failed', last_http_status = :httpStatus, last_error = :error
WHERE id = :id AND status = 'pending'
