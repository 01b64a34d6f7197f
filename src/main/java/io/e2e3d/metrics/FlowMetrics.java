package io.e2e3d.metrics;

import io.e2e3d.job.DatasetType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;


/**
 * The application metrics of the seed documents, under their names (Micrometer adds _total, _seconds and
 * _bucket as Prometheus expects), plus what operators need beyond them. No label is unbounded: no job id,
 * endpoints are route templates, error types come from a fixed set.
 */
public class FlowMetrics {

    /** Bucket bounds for point and face counts: powers of ten from 1,000 to 100 million, with halves. */
    private static final double[] COUNT_BUCKETS = {1e3, 5e3, 1e4, 5e4, 1e5, 5e5, 1e6, 5e6, 1e7, 5e7, 1e8};

    /**
     * The seed's jobs_created_total cannot be exported by the Prometheus Java client: "_created" is a reserved
     * suffix (OpenMetrics' creation timestamp) and is stripped, leaving "jobs_total". The counter is exported
     * as jobs_submitted_total and a recording rule provides jobs_created_total (observability/README.md).
     */
    static final String JOBS_CREATED = "jobs.submitted";

    private final MeterRegistry registry;
    private final AtomicLong activeJobs = new AtomicLong();
    private final AtomicLong webhooksPending = new AtomicLong();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public FlowMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("e2e3d.active.jobs", activeJobs, AtomicLong::get)
                .description("Reconstruction jobs running now in this instance").register(registry);
        // counters exist from the start so rate() and the seed's ratios see a zero, not an absent series
        for (String name : new String[] {"reconstruction", "reconstruction.success", "reconstruction.failure",
                JOBS_CREATED, "jobs.completed", "jobs.failed", "jobs.canceled"}) {
            Counter.builder(name).register(registry);
        }
        for (DatasetType type : DatasetType.values()) {
            pointCloudSize(type.label());
            meshFaceCount(type.label());
        }
        for (String outcome : new String[] {"delivered", "retry", "failed"}) {
            webhookDeliveries(outcome);
        }
        for (String source : new String[] {"webhook", "sqs"}) {
            for (String outcome : new String[] {"recorded", "duplicate", "ignored"}) {
                ingestEventCounter(source, outcome);
            }
        }
        Gauge.builder("e2e3d.webhook.outbox.pending", webhooksPending, AtomicLong::get)
                .description("Webhook deliveries neither delivered nor given up yet (all instances: the outbox is shared)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void jobCreated() {
        registry.counter(JOBS_CREATED).increment();
    }

    public void jobStarted() {
        activeJobs.incrementAndGet();
    }

    /** A job ended; status is completed, failed or canceled. */
    public void jobEnded(String status, Duration processing, Duration total) {
        activeJobs.decrementAndGet();
        switch (status) {
            case "completed" -> {
                registry.counter("reconstruction").increment();
                registry.counter("reconstruction.success").increment();
                registry.counter("jobs.completed").increment();
            }
            case "failed" -> {
                registry.counter("reconstruction").increment();
                registry.counter("reconstruction.failure").increment();
                registry.counter("jobs.failed").increment();
            }
            default -> registry.counter("jobs.canceled").increment();
        }
        Timer.builder("job.processing.duration").description("Time from claim to end of a job's run")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(4)).register(registry).record(processing);
        Timer.builder("e2e3d.job.duration").description("Time from a job's creation to its end, by final status")
                .tag("status", status).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(4)).register(registry).record(total);
    }

    /** A queued job canceled before any worker claimed it. */
    public void jobCanceledWhileQueued() {
        registry.counter("jobs.canceled").increment();
    }

    /** A job handed back without ending (shutdown): it is no longer active here. */
    public void jobReleased() {
        activeJobs.decrementAndGet();
    }

    public void stageFinished(String stage, String datasetType, Duration duration, long usedHeapBytes) {
        Timer.builder("reconstruction.stage.duration").description("Duration of each reconstruction stage")
                .tags("stage", stage, "dataset_type", datasetType).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(2))
                .register(registry).record(duration);
        gauge("reconstruction.memory.usage.bytes", "stage", stage).set(usedHeapBytes);
    }

    public void stageError(String stage, String errorType) {
        registry.counter("reconstruction.errors", "stage", stage, "error_type", errorType).increment();
    }

    public void model(String datasetType, long points, long faces) {
        pointCloudSize(datasetType).record(points);
        meshFaceCount(datasetType).record(faces);
    }

    private DistributionSummary pointCloudSize(String datasetType) {
        return DistributionSummary.builder("reconstruction.point.cloud.size").description("Points in a job's dense cloud")
                .tag("dataset_type", datasetType).serviceLevelObjectives(COUNT_BUCKETS).register(registry);
    }

    private DistributionSummary meshFaceCount(String datasetType) {
        return DistributionSummary.builder("reconstruction.mesh.face.count").description("Faces in a job's mesh")
                .tag("dataset_type", datasetType).serviceLevelObjectives(COUNT_BUCKETS).register(registry);
    }

    public void apiRequest(String method, String endpoint, int status, long nanos) {
        registry.counter("api.requests", "method", method, "endpoint", endpoint, "status", Integer.toString(status)).increment();
        Timer.builder("api.request.duration").tags("method", method, "endpoint", endpoint)
                .publishPercentileHistogram().register(registry).record(Duration.ofNanos(nanos));
    }

    public void ingestedObject(String result) {
        registry.counter("e2e3d.ingest.objects", "result", result).increment();
    }

    /** One webhook attempt's outcome: delivered, retry (failed, tried again later) or failed (given up). */
    public void webhookDelivery(String outcome) {
        webhookDeliveries(outcome).increment();
    }

    public void webhookPending(long rows) {
        webhooksPending.set(rows);
    }

    private Counter webhookDeliveries(String outcome) {
        return Counter.builder("e2e3d.webhook.deliveries").description("Webhook delivery attempts by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** S3 event records by source (webhook, sqs) and outcome (recorded, duplicate, ignored). */
    public void ingestEvents(String source, String outcome, int records) {
        ingestEventCounter(source, outcome).increment(records);
    }

    private Counter ingestEventCounter(String source, String outcome) {
        return Counter.builder("e2e3d.ingest.events").description("S3 event notification records by source and outcome")
                .tags("source", source, "outcome", outcome).register(registry);
    }

    public void healthCheck(String component, boolean healthy) {
        registry.counter("health.check", "component", component, "status", healthy ? "healthy" : "unhealthy").increment();
        gauge("e2e3d.component.up", "component", component).set(healthy ? 1 : 0);
    }

    public void queueDepth(String status, long jobs) {
        gauge("e2e3d.queue.depth", "status", status).set(jobs);
    }

    public void bucketUsage(String bucket, long objects, long bytes) {
        gauge("e2e3d.storage.bucket.objects", "bucket", bucket).set(objects);
        gauge("e2e3d.storage.bucket.bytes", "bucket", bucket).set(bytes);
    }

    private AtomicLong gauge(String name, String tagKey, String tagValue) {
        return gauges.computeIfAbsent(name + '|' + tagKey + '=' + tagValue, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag(tagKey, tagValue).register(registry);
            return value;
        });
    }

}
