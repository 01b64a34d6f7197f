-- A claimed row is leased: it is not due again until :leaseUntil, by when this attempt has either been
-- recorded or its instance has died (then another instance tries again). The attempt is counted now, so an
-- instance that dies while posting cannot retry one delivery forever.
UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = :leaseUntil, last_attempt_at = :now
WHERE id IN (:ids)
