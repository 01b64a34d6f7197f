package io.e2e3d.ingest;

import io.e2e3d.job.JobIds;
import io.e2e3d.job.JobImage;
import io.e2e3d.job.JobOptions;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.NewJob;
import io.e2e3d.job.SqlFiles;
import io.e2e3d.metrics.FlowMetrics;
import io.e2e3d.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The durable state of ingest: which objects were seen (once per bucket, key and ETag, on any number of
 * instances) and which dataset batch each one joined, until the batch is sealed into a queued job.
 */
public class IngestLedger {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLedger.class);
    /**
     * S3Proxy's filesystem store writes an upload to {@code <key>-<uuid>} and renames it when complete, and
     * lists that file meanwhile. Such a key is skipped while it is young; one still there after the grace
     * period is a real object and is recorded like any other.
     */
    private static final Pattern IN_FLIGHT = Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Duration IN_FLIGHT_GRACE = Duration.ofMinutes(2);

    private final JobRepository jobs;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectStore store;
    private final FlowMetrics metrics;
    private final String defaultEngine;
    private final String resultBucket;
    private final long maxImageBytes;

    public IngestLedger(JobRepository jobs, ObjectStore store, FlowMetrics metrics, String defaultEngine, String resultBucket,
            long maxImageBytes) {
        this.jobs = jobs;
        this.jdbc = jobs.jdbc();
        this.store = store;
        this.metrics = metrics;
        this.defaultEngine = defaultEngine;
        this.resultBucket = resultBucket;
        this.maxImageBytes = maxImageBytes;
    }

    public long maxImageBytes() {
        return maxImageBytes;
    }

    /** The objects of one listing page that the ledger does not hold yet, classified. */
    public List<SeenObject> unseen(String bucket, List<S3Object> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        Set<String> known = new HashSet<>();
        jdbc.query(SqlFiles.get("ingest-known"), Map.of("bucket", bucket,
                "firstKey", page.get(0).key(), "lastKey", page.get(page.size() - 1).key()),
                rs -> {
                    known.add(rs.getString("object_key") + '\n' + rs.getString("etag"));
                });
        List<SeenObject> fresh = new ArrayList<>();
        Instant inFlightSince = Instant.now().minus(IN_FLIGHT_GRACE);
        for (S3Object o : page) {
            String etag = ObjectStore.unquote(o.eTag());
            if (IN_FLIGHT.matcher(o.key()).matches() && o.lastModified() != null && o.lastModified().isAfter(inFlightSince)) {
                continue; // an upload still being written by the embedded store; seen again once it is old enough
            }
            if (!known.contains(o.key() + '\n' + etag)) {
                fresh.add(SeenObject.classify(bucket, o.key(), etag, o.size()).limitedTo(maxImageBytes));
            }
        }
        return fresh;
    }

    /**
     * Records one new object and adds it to its dataset's open batch, in one transaction, so an object is
     * either fully ingested or not at all. Returns false when another instance recorded it first.
     */
    public boolean record(SeenObject object) {
        SeenObject checked = object;
        String manifest = null;
        if (object.kind() == ObjectKind.MANIFEST) {
            try {
                byte[] bytes = store.readSmall(object.bucket(), object.key(), Manifest.MAX_BYTES);
                Manifest.parse(bytes, defaultEngine);
                manifest = new String(bytes, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException | java.io.IOException e) {
                checked = new SeenObject(object.bucket(), object.key(), object.etag(), object.size(), object.dataset(),
                        ObjectKind.REJECTED, e.getMessage() + "; fix it and upload manifest.json again");
            }
        }
        SeenObject o = checked;
        String manifestText = manifest;
        boolean recorded = Boolean.TRUE.equals(jobs.transactions().execute(status -> {
            int inserted = jdbc.update(SqlFiles.get("ingest-object-insert"), new MapSqlParameterSource()
                    .addValue("bucket", o.bucket()).addValue("key", o.key()).addValue("etag", o.etag())
                    .addValue("size", o.size()).addValue("kind", o.kind().label()).addValue("reason", o.reason())
                    .addValue("now", now()));
            if (inserted == 0) {
                return false;
            }
            if (o.dataset() == null) {
                return true;
            }
            Long batch = apiBatch(o.bucket(), o.dataset());
            if (batch == null) {
                batch = openBatch(o.bucket(), o.dataset());
                boolean ready = o.kind() == ObjectKind.MARKER || manifestText != null;
                jdbc.update(SqlFiles.get("ingest-batch-touch"), new MapSqlParameterSource()
                        .addValue("id", batch).addValue("now", now()).addValue("ready", ready)
                        .addValue("manifest", manifestText));
            }
            jdbc.update(SqlFiles.get("ingest-object-attach"), Map.of("batchId", batch, "bucket", o.bucket(),
                    "key", o.key(), "etag", o.etag()));
            return true;
        }));
        metrics.ingestedObject(recorded ? o.kind().label() : "duplicate");
        if (recorded && o.kind() == ObjectKind.REJECTED) {
            LOG.info("Rejected s3://{}/{}: {}", o.bucket(), o.key(), o.reason());
        }
        return recorded;
    }

    /** Seals every batch that is ready or quiet into a queued job; returns the new job ids. */
    public List<String> sealDue(int quietSeconds) {
        List<Long> due = jdbc.queryForList(SqlFiles.get("ingest-batches-due"),
                Map.of("quietBefore", now().minusSeconds(quietSeconds)), Long.class);
        List<String> created = new ArrayList<>();
        for (Long id : due) {
            String jobId = jobs.transactions().execute(status -> seal(id));
            if (jobId != null) {
                created.add(jobId);
            }
        }
        return created;
    }

    /**
     * Reserves a dataset folder for a job of the REST API, so the watcher never makes a second job of it,
     * and folds any batch still open for it into that job. Runs inside the caller's transaction.
     */
    public List<JobImage> reserveForApi(String bucket, String dataset, String jobId) {
        List<JobImage> pending = new ArrayList<>();
        List<Long> open = jdbc.queryForList(SqlFiles.get("ingest-batch-lock-open"),
                Map.of("bucket", bucket, "dataset", dataset), Long.class);
        for (Long id : open) {
            pending.addAll(images(id));
            jdbc.update(SqlFiles.get("ingest-batch-seal"), Map.of("id", id, "jobId", jobId));
        }
        if (apiBatch(bucket, dataset) == null) {
            jdbc.update(SqlFiles.get("ingest-batch-reserve"), Map.of("bucket", bucket, "dataset", dataset,
                    "now", now(), "jobId", jobId));
        }
        return pending;
    }

    /** Whether a dataset folder already belongs to a job created through the REST API. */
    public boolean reservedByApi(String bucket, String dataset) {
        return apiBatch(bucket, dataset) != null;
    }

    private String seal(long batchId) {
        List<Map<String, Object>> rows = jdbc.queryForList(SqlFiles.get("ingest-batch-lock-due"), Map.of("id", batchId));
        if (rows.isEmpty()) {
            return null; // sealed meanwhile by another instance
        }
        Map<String, Object> batch = rows.get(0);
        String bucket = (String) batch.get("bucket");
        String dataset = (String) batch.get("dataset");
        String manifest = (String) batch.get("manifest");
        JobOptions options = manifest == null
                ? JobOptions.of(null, null, null, null, defaultEngine)
                : Manifest.parse(manifest, defaultEngine);
        String jobId = JobIds.next();
        jobs.insertInCurrentTransaction(new NewJob(jobId, options, "watch", bucket, dataset + "/", images(batchId)), resultBucket);
        jdbc.update(SqlFiles.get("ingest-batch-seal"), Map.of("id", batchId, "jobId", jobId));
        metrics.jobCreated();
        LOG.info("Dataset s3://{}/{}/ became job {}", bucket, dataset, jobId);
        return jobId;
    }

    /** The batch's images and rejected objects; a key written twice during collection counts once, as its last version. */
    private List<JobImage> images(long batchId) {
        Map<String, JobImage> byKey = new LinkedHashMap<>();
        jdbc.query(SqlFiles.get("ingest-batch-objects"), Map.of("id", batchId), rs -> {
            String kind = rs.getString("kind");
            String key = rs.getString("object_key");
            if (kind.equals("image")) {
                byKey.put(key, JobImage.accepted(key, rs.getString("etag"), rs.getLong("size_bytes")));
            } else if (kind.equals("rejected")) {
                byKey.put(key, JobImage.rejected(key, rs.getString("etag"), rs.getLong("size_bytes"), rs.getString("reason")));
            }
        });
        return new ArrayList<>(byKey.values());
    }

    private Long apiBatch(String bucket, String dataset) {
        List<Long> ids = jdbc.queryForList(SqlFiles.get("ingest-api-batch"), Map.of("bucket", bucket, "dataset", dataset), Long.class);
        return ids.isEmpty() ? null : ids.get(0);
    }

    private long openBatch(String bucket, String dataset) {
        jdbc.update(SqlFiles.get("ingest-batch-open"), Map.of("bucket", bucket, "dataset", dataset, "now", now()));
        return jdbc.queryForObject(SqlFiles.get("ingest-batch-lock-open"), Map.of("bucket", bucket, "dataset", dataset), Long.class);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
