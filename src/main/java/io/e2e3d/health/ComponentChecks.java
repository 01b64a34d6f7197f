package io.e2e3d.health;

import io.e2e3d.engine.Engines;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.SqlFiles;
import io.e2e3d.metrics.FlowMetrics;
import io.e2e3d.storage.ObjectStore;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the database, the object store, the reconstruction engine and the queue, and keeps the latest
 * result of each. One place feeds the Camel health checks, the component gauges and /api/health.
 */
public class ComponentChecks {

    private final JobRepository jobs;
    private final ObjectStore store;
    private final Engines engines;
    private final FlowMetrics metrics;
    private final List<String> requiredEngines;
    private final String[] buckets;
    private final int staleSeconds;
    // written by the scheduled checks, read by any request without waiting for a check in progress
    private final Map<Component, ComponentStatus> latest = new ConcurrentHashMap<>();

    public ComponentChecks(JobRepository jobs, ObjectStore store, Engines engines, FlowMetrics metrics, List<String> requiredEngines,
            int staleSeconds, String... buckets) {
        this.jobs = jobs;
        this.store = store;
        this.engines = engines;
        this.metrics = metrics;
        this.requiredEngines = List.copyOf(requiredEngines);
        this.staleSeconds = staleSeconds;
        this.buckets = buckets;
    }

    /** Runs every check now; called by the scheduled health route. */
    public synchronized Map<Component, ComponentStatus> runAll() {
        record(Component.DATABASE, () -> {
            jobs.ping();
            return "query answered";
        });
        record(Component.MINIO, () -> {
            for (String bucket : buckets) {
                store.ping(bucket);
            }
            return "buckets " + String.join(", ", buckets) + " reachable";
        });
        record(Component.RECONSTRUCTION, () -> {
            for (String engine : requiredEngines) {
                if (!engines.available(engine)) {
                    throw new IllegalStateException("engine '" + engine + "' is not available"
                            + (engine.equals("colmap") ? " (is COLMAP installed? E2E3D_COLMAP_BIN)" : ""));
                }
            }
            return "engines " + String.join(", ", requiredEngines) + " ready";
        });
        record(Component.QUEUE, () -> {
            Map<String, Long> depth = jobs.queueDepth();
            depth.forEach(metrics::queueDepth);
            Long stale = jobs.jdbc().queryForObject(SqlFiles.get("queue-stale-jobs"),
                    Map.of("staleBefore", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(staleSeconds)), Long.class);
            if (stale != null && stale > 0) {
                throw new IllegalStateException(stale + " running job(s) without a heartbeat for " + staleSeconds + " s");
            }
            return depth.get("queued") + " queued, " + depth.get("running") + " running";
        });
        return current();
    }

    /** The latest results, running the checks first if none ran yet. */
    public Map<Component, ComponentStatus> current() {
        if (latest.size() < Component.values().length) {
            return runAll();
        }
        return new EnumMap<>(latest);
    }

    public ComponentStatus latest(Component component) {
        return latest.get(component);
    }

    private void record(Component component, Callable<String> check) {
        ComponentStatus status;
        try {
            status = new ComponentStatus(component, true, check.call(), OffsetDateTime.now(ZoneOffset.UTC));
        } catch (Exception e) {
            status = new ComponentStatus(component, false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                    OffsetDateTime.now(ZoneOffset.UTC));
        }
        latest.put(component, status);
        metrics.healthCheck(component.label(), status.healthy());
    }
}
