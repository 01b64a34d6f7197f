package io.e2e3d.ingest;

import io.e2e3d.storage.ObjectStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the watched bucket and returns the objects the ledger has not seen. It reads keys and ETags only,
 * one listing page and one ledger query per 1000 objects, so a bucket full of already ingested photos costs
 * a listing, never a download. (Camel's aws2-s3 consumer fetches every object on every poll when it may not
 * delete or move them, which ingest must never do.)
 */
public class BucketWatcher {

    private final ObjectStore store;
    private final IngestLedger ledger;
    private final String bucket;
    private final boolean listing;

    /** @param listing false when objects arrive only through S3 event notifications (a bucket too large to list) */
    public BucketWatcher(ObjectStore store, IngestLedger ledger, String bucket, boolean listing) {
        this.store = store;
        this.ledger = ledger;
        this.bucket = bucket;
        this.listing = listing;
    }

    public List<SeenObject> unseenObjects() {
        if (!listing) {
            return List.of();
        }
        List<SeenObject> fresh = new ArrayList<>();
        store.forEachPage(bucket, null, page -> fresh.addAll(ledger.unseen(bucket, page)));
        return fresh;
    }

    public String bucket() {
        return bucket;
    }
}
