package io.e2e3d.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Load run (on demand, loopback only, bounded; prints figures). 50 API clients in closed loops for 60 s (list,
 * get, health, create) against one instance with a worker running jobs, while 1000 photos are dropped into the
 * bucket over 10 datasets. Prints requests/s, latency percentiles, errors (anything but the expected status),
 * and jobs lost (a 201 whose job is not there) or duplicated (a dataset with more than one job).
 * Arguments: {@code pg} for PostgreSQL instead of H2; {@code clients=N}, {@code seconds=N}.
 */
public final class LoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DATASETS = 10;
    private static final int PER_DATASET = 100;

    public static void main(String... args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        Database database = arguments.contains("pg") ? Database.POSTGRESQL : Database.H2;
        int clients = intArg(arguments, "clients", 50);
        int seconds = intArg(arguments, "seconds", 60);
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-load"), database);
        settings.put("e2e3d.workers", "1");
        settings.put("e2e3d.ingest.poll-ms", "1000");
        settings.put("e2e3d.ingest.quiet-seconds", "3600"); // the markers seal the dropped datasets
        settings.put("e2e3d.db.pool-size", "20");
        try (RunningService service = RunningService.start(settings)) {
            for (int i = 0; i < 5; i++) {
                String key = "load-seed/img_" + i + ".jpg";
                byte[] photo = TestImages.textured(160, 120, i, "jpg");
                service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(photo));
            }
            System.out.printf("E2E3D load run on %s: %d clients for %d s + a drop of %d objects, %d cores, Java %s%n", database,
                    clients, seconds, DATASETS * PER_DATASET, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<String> created = Collections.synchronizedList(new ArrayList<>());
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        call(service, http, created, latencies, requests, errors);
                    }
                    return null;
                });
            }
            pool.submit(() -> {
                drop(service);
                return null;
            });
            pool.shutdown();
            pool.awaitTermination(seconds + 300L, TimeUnit.SECONDS);
            long total = requests.values().stream().mapToLong(AtomicInteger::get).sum();

            // every dataset dropped becomes exactly one job with all its photos
            RunningService.await(Duration.ofMinutes(5), () -> dropJobs(service).size() == DATASETS, "the dropped datasets to become jobs");
            Map<String, Integer> dropJobs = dropJobs(service);
            long duplicated = countDuplicates(service);
            long lost = List.copyOf(created).stream().filter(id -> status(service, "/api/jobs/" + id) != 200).count();
            long wrongCounts = dropJobs.values().stream().filter(n -> n != PER_DATASET).count();

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("requests: %d in %d s = %.0f requests/s%n", total, seconds, total / (double) seconds);
            System.out.printf("by type: %s%n", requests);
            System.out.printf("latency ms: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f%n", pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                    sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
            System.out.printf("errors: %d %s%n", errors.values().stream().mapToLong(AtomicInteger::get).sum(), errors);
            System.out.printf("jobs created through the API: %d, lost: %d%n", created.size(), lost);
            System.out.printf("dropped datasets: %d jobs for %d datasets, with a wrong image count: %d, datasets with more than one job: %d%n",
                    dropJobs.size(), DATASETS, wrongCounts, duplicated);
        }
    }

    private static void call(RunningService service, HttpClient http, List<String> created, List<Long> latencies,
            Map<String, AtomicInteger> requests, Map<String, AtomicInteger> errors) {
        int dice = ThreadLocalRandom.current().nextInt(100);
        String type;
        HttpRequest.Builder request;
        int expected = 200;
        if (dice < 60) {
            type = "list";
            request = HttpRequest.newBuilder(URI.create(service.url("/api/jobs?limit=20")));
        } else if (dice < 85 && !created.isEmpty()) {
            type = "get";
            String id;
            synchronized (created) {
                id = created.get(ThreadLocalRandom.current().nextInt(created.size()));
            }
            request = HttpRequest.newBuilder(URI.create(service.url("/api/jobs/" + id)));
        } else if (dice < 95) {
            type = "health";
            request = HttpRequest.newBuilder(URI.create(service.url("/api/health")));
        } else {
            type = "create";
            expected = 201;
            request = HttpRequest.newBuilder(URI.create(service.url("/api/jobs"))).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prefix\": \"load-seed\", \"quality\": \"low\"}"));
        }
        requests.computeIfAbsent(type, k -> new AtomicInteger()).incrementAndGet();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            latencies.add(System.nanoTime() - start);
            if (response.statusCode() != expected) {
                errors.computeIfAbsent(type + " " + response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            } else if (type.equals("create")) {
                created.add(JSON.readTree(response.body()).path("id").asText());
            }
        } catch (Exception e) {
            errors.computeIfAbsent(type + " " + e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static void drop(RunningService service) {
        byte[][] photos = new byte[8][];
        for (int i = 0; i < photos.length; i++) {
            photos[i] = TestImages.textured(96, 72, 100 + i, "jpg");
        }
        for (int i = 0; i < DATASETS * PER_DATASET; i++) {
            String key = "drop-" + (i % DATASETS) + "/img_" + i + ".jpg";
            byte[] photo = Arrays.copyOf(photos[i % photos.length], photos[i % photos.length].length + 1);
            photo[photo.length - 1] = (byte) i; // trailing byte: a distinct object (and ETag) every time
            service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(photo));
        }
        for (int d = 0; d < DATASETS; d++) {
            String key = "drop-" + d + "/_READY";
            service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.empty());
        }
    }

    private static Map<String, Integer> dropJobs(RunningService service) {
        Map<String, Integer> byPrefix = new HashMap<>();
        for (JsonNode job : allJobs(service)) {
            if (job.path("prefix").asText().startsWith("drop-")) {
                byPrefix.put(job.path("prefix").asText(), job.path("image_count").asInt());
            }
        }
        return byPrefix;
    }

    private static long countDuplicates(RunningService service) {
        Map<String, Integer> jobsPerPrefix = new HashMap<>();
        for (JsonNode job : allJobs(service)) {
            if (job.path("prefix").asText().startsWith("drop-")) {
                jobsPerPrefix.merge(job.path("prefix").asText(), 1, Integer::sum);
            }
        }
        return jobsPerPrefix.values().stream().filter(n -> n > 1).count();
    }

    private static List<JsonNode> allJobs(RunningService service) {
        List<JsonNode> jobs = new ArrayList<>();
        try {
            for (int offset = 0; ; offset += 500) {
                JsonNode page = service.getJson("/api/jobs?limit=500&offset=" + offset).path("jobs");
                page.forEach(jobs::add);
                if (page.size() < 500) {
                    return jobs;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(RunningService service, String path) {
        try {
            return service.get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    private static int intArg(List<String> args, String name, int fallback) {
        return args.stream().filter(a -> a.startsWith(name + "=")).map(a -> Integer.parseInt(a.substring(name.length() + 1)))
                .findFirst().orElse(fallback);
    }
}
