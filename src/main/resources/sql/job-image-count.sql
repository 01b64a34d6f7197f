UPDATE jobs SET image_count = (SELECT COUNT(*) FROM job_images WHERE job_id = :id AND status = 'accepted')
WHERE id = :id
