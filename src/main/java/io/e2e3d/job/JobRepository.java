package io.e2e3d.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The jobs, job_images and job_stages tables; every statement comes from sql/*.sql. */
public class JobRepository {

    public enum CancelOutcome { CANCELED, REQUESTED, ALREADY_FINISHED, NOT_FOUND }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JobRepository(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public TransactionTemplate transactions() {
        return tx;
    }

    public NamedParameterJdbcTemplate jdbc() {
        return jdbc;
    }

    /** Inserts the job and its images in one transaction; a duplicate id raises DuplicateKeyException. */
    public Job insert(NewJob job, String resultBucket) {
        tx.executeWithoutResult(status -> insertInCurrentTransaction(job, resultBucket));
        return find(job.id()).orElseThrow();
    }

    /** For callers that already hold a transaction (the ingest ledger seals a batch and queues its job at once). */
    public void insertInCurrentTransaction(NewJob job, String resultBucket) {
        jdbc.update(SqlFiles.get("job-insert"), new MapSqlParameterSource()
                .addValue("id", job.id())
                .addValue("datasetType", job.options().datasetType().label())
                .addValue("quality", job.options().quality().label())
                .addValue("engine", job.options().engine())
                .addValue("source", job.source())
                .addValue("imageCount", (int) job.acceptedCount())
                .addValue("bucket", job.bucket())
                .addValue("prefix", job.prefix())
                .addValue("notifyUrl", job.options().notifyUrl())
                .addValue("now", now())
                .addValue("resultBucket", resultBucket)
                .addValue("resultPrefix", job.id() + "/"));
        int seq = 0;
        MapSqlParameterSource[] rows = new MapSqlParameterSource[job.images().size()];
        for (JobImage image : job.images()) {
            rows[seq] = new MapSqlParameterSource()
                    .addValue("jobId", job.id())
                    .addValue("key", image.key())
                    .addValue("etag", image.etag())
                    .addValue("size", image.size())
                    .addValue("status", image.accepted() ? "accepted" : "rejected")
                    .addValue("reason", image.reason())
                    .addValue("seq", seq);
            seq++;
        }
        jdbc.batchUpdate(SqlFiles.get("job-image-insert"), rows);
    }

    public Optional<Job> find(String id) {
        return jdbc.query(SqlFiles.get("job-find"), Map.of("id", id), JobRepository::job).stream().findFirst();
    }

    public List<Job> list(JobStatus status, int limit, int offset) {
        return jdbc.query(SqlFiles.get("job-list"), new MapSqlParameterSource()
                .addValue("status", status == null ? null : status.label())
                .addValue("limit", limit)
                .addValue("offset", offset), JobRepository::job);
    }

    public long count(JobStatus status) {
        Long n = jdbc.queryForObject(SqlFiles.get("job-count"),
                new MapSqlParameterSource("status", status == null ? null : status.label()), Long.class);
        return n == null ? 0 : n;
    }

    public List<JobImage> images(String jobId) {
        return jdbc.query(SqlFiles.get("job-images"), Map.of("jobId", jobId), (rs, i) -> new JobImage(
                rs.getString("object_key"), rs.getString("etag"), rs.getLong("size_bytes"),
                "accepted".equals(rs.getString("status")), rs.getString("reason"),
                (Integer) rs.getObject("width"), (Integer) rs.getObject("height"),
                rs.getObject("focal_px") == null ? null : rs.getDouble("focal_px")));
    }

    public List<StageRecord> stages(String jobId) {
        return jdbc.query(SqlFiles.get("job-stages"), Map.of("jobId", jobId), (rs, i) -> new StageRecord(
                rs.getString("name"), rs.getString("status"),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                rs.getObject("duration_ms") == null ? null : rs.getLong("duration_ms"), rs.getString("details")));
    }

    public void resetStages(String jobId) {
        jdbc.update(SqlFiles.get("job-stages-reset"), Map.of("jobId", jobId));
    }

    public Set<String> completedStages(String jobId) {
        return new HashSet<>(jdbc.queryForList(SqlFiles.get("stage-completed-names"), Map.of("jobId", jobId), String.class));
    }

    /**
     * Claims the next queued job, or a running one whose heartbeat is older than {@code staleBefore}.
     * The row lock with SKIP LOCKED makes every job go to exactly one worker.
     */
    public Optional<Job> claim(String worker, OffsetDateTime staleBefore) {
        String id = tx.execute(status -> {
            List<String> ids = jdbc.queryForList(SqlFiles.get("job-claim-select"),
                    Map.of("staleBefore", staleBefore), String.class);
            if (ids.isEmpty()) {
                return null;
            }
            jdbc.update(SqlFiles.get("job-claim-update"), Map.of("id", ids.get(0), "worker", worker, "now", now()));
            return ids.get(0);
        });
        return id == null ? Optional.empty() : find(id);
    }

    public boolean heartbeat(String id, String worker) {
        return jdbc.update(SqlFiles.get("job-heartbeat"), Map.of("id", id, "worker", worker, "now", now())) == 1;
    }

    public void progress(String id, Stage stage, int progress) {
        jdbc.update(SqlFiles.get("job-progress"), Map.of("id", id, "stage", stage.label(),
                "progress", Math.max(0, Math.min(100, progress)), "now", now()));
    }

    /**
     * Ends the running job held by {@code worker}; false when it had already ended or another worker holds it.
     * Its webhook delivery, when it has a notify_url, is queued in the same transaction.
     */
    public boolean finish(String id, String worker, JobStatus status, ErrorType errorType, String message) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            boolean ended = jdbc.update(SqlFiles.get("job-finish"), new MapSqlParameterSource()
                    .addValue("id", id)
                    .addValue("worker", worker)
                    .addValue("status", status.label())
                    .addValue("now", now())
                    .addValue("errorType", errorType == null ? null : errorType.label())
                    .addValue("errorMessage", message == null ? null : truncate(message, 2000))) == 1;
            if (ended) {
                enqueueWebhook(id);
            }
            return ended;
        }));
    }

    /**
     * Every path that ends a job calls this in the transaction of its status change (the outbox pattern):
     * the delivery row exists exactly when the ending was committed.
     */
    private void enqueueWebhook(String jobId) {
        jdbc.update(SqlFiles.get("webhook-enqueue"), Map.of("deliveryId", UUID.randomUUID().toString(), "jobId", jobId));
    }

    /** Puts a running job back in the queue (this instance is stopping); false when it is no longer ours. */
    public boolean release(String id, String worker) {
        return jdbc.update(SqlFiles.get("job-release"), Map.of("id", id, "worker", worker)) == 1;
    }

    /** The figures of a finished reconstruction: dense points, mesh faces, registered views. */
    public void recordModel(String id, long points, long faces, int registeredViews) {
        jdbc.update(SqlFiles.get("job-model"), Map.of("id", id, "points", points, "faces", faces, "registered", registeredViews));
    }

    public CancelOutcome cancel(String id) {
        return tx.execute(status -> {
            if (jdbc.update(SqlFiles.get("job-cancel-queued"), Map.of("id", id, "now", now())) == 1) {
                enqueueWebhook(id);
                return CancelOutcome.CANCELED;
            }
            if (jdbc.update(SqlFiles.get("job-cancel-running"), Map.of("id", id)) == 1) {
                return CancelOutcome.REQUESTED;
            }
            return find(id).isPresent() ? CancelOutcome.ALREADY_FINISHED : CancelOutcome.NOT_FOUND;
        });
    }

    public boolean cancelRequested(String id) {
        List<Boolean> flags = jdbc.queryForList(SqlFiles.get("job-cancel-requested"), Map.of("id", id), Boolean.class);
        return !flags.isEmpty() && Boolean.TRUE.equals(flags.get(0));
    }

    public void stageStarted(String jobId, Stage stage) {
        tx.executeWithoutResult(status -> {
            Map<String, Object> key = Map.of("jobId", jobId, "name", stage.label());
            jdbc.update(SqlFiles.get("stage-reset"), key);
            jdbc.update(SqlFiles.get("stage-start"), Map.of("jobId", jobId, "name", stage.label(), "now", now()));
        });
    }

    public void stageFinished(String jobId, Stage stage, String status, long durationMs, String details) {
        jdbc.update(SqlFiles.get("stage-finish"), new MapSqlParameterSource()
                .addValue("jobId", jobId).addValue("name", stage.label()).addValue("status", status)
                .addValue("now", now()).addValue("durationMs", durationMs)
                .addValue("details", details == null ? null : truncate(details, 4000)));
    }

    public void rejectImage(String jobId, String key, String reason) {
        jdbc.update(SqlFiles.get("job-image-reject"), Map.of("jobId", jobId, "key", key, "reason", truncate(reason, 1000)));
    }

    public void imagePrepared(String jobId, String key, int width, int height, Double focalPx) {
        jdbc.update(SqlFiles.get("job-image-prepared"), new MapSqlParameterSource()
                .addValue("jobId", jobId).addValue("key", key).addValue("width", width).addValue("height", height)
                .addValue("focalPx", focalPx));
    }

    public void recountImages(String jobId) {
        jdbc.update(SqlFiles.get("job-image-count"), Map.of("id", jobId));
    }

    /** Jobs per status, for queued and running only (the queue's depth). */
    public Map<String, Long> queueDepth() {
        Map<String, Long> depth = new LinkedHashMap<>(Map.of("queued", 0L, "running", 0L));
        jdbc.query(SqlFiles.get("queue-depth"), rs -> {
            depth.put(rs.getString("status"), rs.getLong("jobs"));
        });
        return depth;
    }

    public void ping() {
        jdbc.getJdbcTemplate().queryForObject(SqlFiles.get("health-ping"), Integer.class);
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static Job job(ResultSet rs, int row) throws SQLException {
        return new Job(
                rs.getString("id"),
                JobStatus.fromLabel(rs.getString("status")),
                rs.getString("stage"),
                rs.getInt("progress"),
                DatasetType.valueOf(rs.getString("dataset_type").toUpperCase()),
                Quality.valueOf(rs.getString("quality").toUpperCase()),
                rs.getString("engine"),
                rs.getString("source"),
                rs.getInt("image_count"),
                rs.getString("bucket"),
                rs.getString("prefix"),
                rs.getString("notify_url"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class),
                rs.getInt("attempts"),
                rs.getObject("heartbeat_at", OffsetDateTime.class),
                rs.getString("worker"),
                rs.getBoolean("cancel_requested"),
                rs.getString("error_type"),
                rs.getString("error_message"),
                rs.getString("result_bucket"),
                rs.getString("result_prefix"),
                (Long) rs.getObject("point_count", Long.class),
                (Long) rs.getObject("mesh_face_count", Long.class),
                (Integer) rs.getObject("registered_views", Integer.class));
    }
}
