UPDATE job_images SET width = :width, height = :height, focal_px = :focalPx
WHERE job_id = :jobId AND object_key = :key
