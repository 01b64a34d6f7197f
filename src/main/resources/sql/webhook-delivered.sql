UPDATE webhook_outbox
SET status = 'delivered', delivered_at = :now, last_http_status = :httpStatus, last_error = NULL
WHERE id = :id AND status = 'pending'
