package io.e2e3d.bench;

import io.e2e3d.ingest.BucketWatcher;
import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Ingest benchmark (run on demand; prints figures). Drops 1000 objects over 10 datasets into the embedded
 * S3 and measures, in the same run:
 * <ol>
 *   <li>the service's ingest throughput, from the first PUT to the last job_images row;</li>
 *   <li>a plain AWS SDK + JDBC loop doing the same reads and inserts (list, ledger row, job_images row);</li>
 *   <li>drop-to-queued latency after each dataset's _READY marker (p50, p95);</li>
 *   <li>one poll of the watcher over a bucket already holding 10,000 ingested objects.</li>
 * </ol>
 * Arguments: {@code pg} to run on PostgreSQL (E2E3D_TEST_DB_URL) instead of H2.
 */
public final class IngestBenchmark {

    private static final int DATASETS = 10;
    private static final int PER_DATASET = 100;

    public static void main(String... args) throws Exception {
        Database database = Arrays.asList(args).contains("pg") ? Database.POSTGRESQL : Database.H2;
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-bench"), database);
        settings.put("e2e3d.ingest.quiet-seconds", "3600"); // only markers seal, so latency is marker-to-queued
        settings.put("e2e3d.ingest.poll-ms", "200");
        settings.put("e2e3d.workers", "0");                 // measure ingest, not the pipeline
        byte[] body = TestImages.textured(64, 64, 1, "png");
        try (RunningService service = RunningService.start(settings)) {
            S3Client s3 = service.s3();
            DataSource ds = service.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            System.out.printf("E2E3D ingest benchmark on %s, %d cores, Java %s%n", database, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));

            // 1. the service: PUT 1000 objects, then the markers, until every job_images row exists
            long start = System.nanoTime();
            putAll(s3, "input", "ds");
            long[] markerAt = new long[DATASETS];
            for (int d = 0; d < DATASETS; d++) {
                markerAt[d] = System.currentTimeMillis();
                String key = "ds" + d + "/_READY";
                s3.putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(new byte[0]));
            }
            RunningService.await(java.time.Duration.ofMinutes(10), () -> count(jdbc, "SELECT COUNT(*) FROM job_images") >= DATASETS * PER_DATASET,
                    "all job_images rows");
            double serviceSeconds = (System.nanoTime() - start) / 1e9;
            List<Double> latencies = new ArrayList<>();
            for (int d = 0; d < DATASETS; d++) {
                OffsetDateTime created = jdbc.queryForObject("SELECT created_at FROM jobs WHERE prefix = ?", OffsetDateTime.class, "ds" + d + "/");
                latencies.add((created.toInstant().toEpochMilli() - markerAt[d]) / 1000.0);
            }

            // 2. the plain loop: same PUTs, one listing, a ledger row and a job_images row per object
            s3.createBucket(b -> b.bucket("plain"));
            jdbc.execute("CREATE TABLE plain_ledger (bucket VARCHAR(255), object_key VARCHAR(1024), etag VARCHAR(128), size_bytes BIGINT, PRIMARY KEY (bucket, object_key, etag))");
            jdbc.execute("CREATE TABLE plain_images (job_id VARCHAR(64), object_key VARCHAR(1024), etag VARCHAR(128), size_bytes BIGINT)");
            long plainStart = System.nanoTime();
            putAll(s3, "plain", "ds");
            try (Connection c = ds.getConnection();
                 PreparedStatement ledger = c.prepareStatement("INSERT INTO plain_ledger VALUES (?, ?, ?, ?)");
                 PreparedStatement images = c.prepareStatement("INSERT INTO plain_images VALUES (?, ?, ?, ?)")) {
                for (var page : s3.listObjectsV2Paginator(b -> b.bucket("plain"))) {
                    for (S3Object o : page.contents()) {
                        ledger.setString(1, "plain"); ledger.setString(2, o.key()); ledger.setString(3, o.eTag()); ledger.setLong(4, o.size());
                        ledger.executeUpdate();
                        images.setString(1, o.key().substring(0, o.key().indexOf('/'))); images.setString(2, o.key());
                        images.setString(3, o.eTag()); images.setLong(4, o.size());
                        images.executeUpdate();
                    }
                }
            }
            double plainSeconds = (System.nanoTime() - plainStart) / 1e9;

            // 3. a bucket holding 10,000 ingested objects: how long one poll of the watcher takes
            int more = 10_000 - DATASETS * PER_DATASET;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int d = 0; d < more / PER_DATASET; d++) {
                String dataset = "big" + d;
                pool.submit(() -> putDataset(s3, "input", dataset));
            }
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.MINUTES);
            RunningService.await(java.time.Duration.ofMinutes(10), () -> count(jdbc, "SELECT COUNT(*) FROM ingest_objects WHERE bucket = 'input'") >= 10_000 + DATASETS,
                    "10,000 objects in the ledger");
            BucketWatcher watcher = service.context().getRegistry().findSingleByType(BucketWatcher.class);
            List<Double> polls = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long t = System.nanoTime();
                int unseen = watcher.unseenObjects().size();
                polls.add((System.nanoTime() - t) / 1e6);
                if (unseen != 0) {
                    throw new IllegalStateException("the watcher found " + unseen + " unseen objects in a fully ingested bucket");
                }
            }

            int objects = DATASETS * PER_DATASET;
            System.out.printf("ingest, service   : %d objects in %.2f s = %.0f objects/s (PUT to job_images row, 10 datasets)%n",
                    objects, serviceSeconds, objects / serviceSeconds);
            System.out.printf("ingest, plain loop: %d objects in %.2f s = %.0f objects/s (PUT, list, 2 inserts per object)%n",
                    objects, plainSeconds, objects / plainSeconds);
            System.out.printf("ratio service/plain: %.2f%n", plainSeconds / serviceSeconds);
            System.out.printf("drop-to-queued after _READY: p50 %.2f s, p95 %.2f s (n=%d)%n",
                    percentile(latencies, 50), percentile(latencies, 95), latencies.size());
            System.out.printf("one watcher poll over 10,000 ingested objects: median %.0f ms, min %.0f ms (7 polls, no object read)%n",
                    percentile(polls, 50), percentile(polls, 0));
        }
        System.exit(0);
    }

    private static void putAll(S3Client s3, String bucket, String prefix) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int d = 0; d < DATASETS; d++) {
            int dataset = d;
            pool.submit(() -> putDataset(s3, bucket, prefix + dataset));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    private static void putDataset(S3Client s3, String bucket, String dataset) {
        byte[] body = TestImages.textured(64, 64, dataset.hashCode(), "png");
        for (int i = 0; i < PER_DATASET; i++) {
            String key = dataset + "/img_" + i + ".png";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
        }
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
