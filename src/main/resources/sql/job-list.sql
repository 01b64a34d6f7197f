-- :status is NULL for every status
SELECT * FROM jobs
WHERE (CAST(:status AS VARCHAR(16)) IS NULL OR status = :status)
ORDER BY created_at DESC, id DESC
LIMIT :limit OFFSET :offset
