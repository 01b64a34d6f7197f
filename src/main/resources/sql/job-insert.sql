INSERT INTO jobs (id, status, progress, dataset_type, quality, engine, source, image_count, bucket, prefix,
                  notify_url, created_at, result_bucket, result_prefix)
VALUES (:id, 'queued', 0, :datasetType, :quality, :engine, :source, :imageCount, :bucket, :prefix,
        :notifyUrl, :now, :resultBucket, :resultPrefix)
