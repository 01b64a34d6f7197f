SELECT COUNT(*) FROM jobs WHERE (CAST(:status AS VARCHAR(16)) IS NULL OR status = :status)
