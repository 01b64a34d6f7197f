SELECT COUNT(*) FROM webhook_outbox WHERE status = 'pending'
