-- A stage started again after a crash replaces its unfinished row.
DELETE FROM job_stages WHERE job_id = :jobId AND name = :name
