package io.e2e3d.metrics;

import io.e2e3d.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Object and byte counts per bucket (e2e3d_storage_bucket_*), so storage is visible without MinIO's metrics. */
public class StorageUsage {

    private static final Logger LOG = LoggerFactory.getLogger(StorageUsage.class);

    private final ObjectStore store;
    private final FlowMetrics metrics;
    private final String[] buckets;

    public StorageUsage(ObjectStore store, FlowMetrics metrics, String... buckets) {
        this.store = store;
        this.metrics = metrics;
        this.buckets = buckets;
    }

    public void measure() {
        for (String bucket : buckets) {
            try {
                ObjectStore.BucketUsage usage = store.usage(bucket);
                metrics.bucketUsage(bucket, usage.objects(), usage.bytes());
            } catch (RuntimeException e) {
                LOG.debug("Cannot measure bucket {}: {}", bucket, e.getMessage());
            }
        }
    }
}
