-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- One row per job that ended (completed, failed, canceled) with a notify_url, written in the same
-- transaction as the job's status change, so no ending is ever missed; the delivery route posts it and
-- keeps its state here. The row's id is the delivery id receivers see, the same on every attempt.
CREATE TABLE webhook_outbox (
    id              VARCHAR(36)   PRIMARY KEY,
    job_id          VARCHAR(64)   NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    url             VARCHAR(2048) NOT NULL,
    job_status      VARCHAR(16)   NOT NULL,
    event_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_attempt_at TIMESTAMP WITH TIME ZONE,
    last_http_status INTEGER,
    last_error      VARCHAR(1000),
    delivered_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT webhook_outbox_job_uq UNIQUE (job_id),
    CONSTRAINT webhook_outbox_status_chk CHECK (status IN ('pending', 'delivered', 'failed'))
);
CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (status, next_attempt_at);
