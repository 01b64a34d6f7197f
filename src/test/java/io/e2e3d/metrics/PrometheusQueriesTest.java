package io.e2e3d.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.support.Database;
import io.e2e3d.support.Ports;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import io.e2e3d.support.Tools;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A real Prometheus (Debian's prometheus binary, loopback, temporary folder) scrapes the running service
 * with the shipped rules loaded. Every PromQL expression of the seed documents, of every dashboard panel
 * and of every rule must parse; every seed and panel query whose input series the test produced must
 * return data.
 */
class PrometheusQueriesTest {

    /** The PromQL of the seed documents (metrics.md and monitoring-and-metrics-system.md), verbatim. */
    static final List<String> SEED_QUERIES = List.of(
            "reconstruction_total",
            "(reconstruction_success / reconstruction_total) * 100",
            "e2e3d_active_jobs",
            "sum(e2e3d_job_duration_seconds) / count(e2e3d_job_duration_seconds)",
            "sum(e2e3d_job_duration_seconds) by (status)",
            "(reconstruction_failure / reconstruction_total) > 0.1",
            "e2e3d_active_jobs > 10",
            "node_cpu_seconds_total",
            "node_memory_MemTotal_bytes - node_memory_MemFree_bytes",
            "node_filesystem_avail_bytes / node_filesystem_size_bytes",
            "node_network_receive_bytes_total",
            "node_network_transmit_bytes_total",
            "rate(api_requests_total[5m])",
            "histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le, endpoint))",
            "histogram_quantile(0.95, sum(rate(job_processing_duration_seconds_bucket[1h])) by (le))",
            "sum(jobs_completed_total) / (sum(jobs_completed_total) + sum(jobs_failed_total))",
            "minio_bucket_usage_bytes",
            "minio_bucket_objects_count",
            "rate(minio_s3_requests_total{api=\"PutObject\"}[5m])",
            "rate(minio_s3_requests_total{api=\"GetObject\"}[5m])",
            "avg by(instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) < 0.1",
            "histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le)) > 1",
            "sum(rate(jobs_failed_total[1h])) / sum(rate(jobs_created_total[1h])) > 0.1");

    /** Seed expressions that are alert conditions: they must parse, but a healthy run rightly returns nothing. */
    static final Set<String> SEED_CONDITIONS = Set.of("e2e3d_active_jobs > 10",
            "avg by(instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) < 0.1",
            "histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le)) > 1");

    private static final Path OBSERVABILITY = Path.of("observability");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> NOT_METRICS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "le", "inf", "nan");

    @TempDir
    Path dir;

    @Test
    void everySeedDashboardAndRuleQueryParsesAndThoseWithInputsReturnData() throws Exception {
        Tools.require("prometheus", "prometheus");
        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-prom"), Database.H2);
        try (RunningService service = RunningService.start(settings)) {
            int port = Ports.free();
            Process prometheus = startPrometheus(Integer.parseInt(settings.get("e2e3d.metrics.port")), port);
            try {
                String base = "http://127.0.0.1:" + port;
                RunningService.await(Duration.ofSeconds(60), () -> {
                    try {
                        JsonNode r = query(base, "count_over_time(up{job=\"e2e3d\"}[1m]) >= 3 and on() count(reconstruction_success) > 0");
                        return r.path("data").path("result").size() > 0;
                    } catch (Exception e) {
                        return false;
                    }
                }, "three scrapes of the service and one rule evaluation");
                // the flow runs while Prometheus watches, so rate() and increase() see real changes
                    for (int i = 0; i < 5; i++) {
                        String key = "prom-set/img_" + i + ".png";
                        service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(TestImages.textured(200, 150, i, "png")));
                    }
                    service.s3().putObject(b -> b.bucket("input").key("prom-set/_READY"), RequestBody.fromBytes(new byte[0]));
                    RunningService.await(Duration.ofSeconds(60), () -> {
                        try {
                            return service.getJson("/api/jobs?status=failed").path("total").asInt() == 1;
                        } catch (Exception e) {
                            return false;
                        }
                    }, "the job to run");
                    service.get("/api/jobs");
                service.get("/api/jobs/unknown-job");
                service.get("/api/health");
                Thread.sleep(4_000);

                Map<String, String> expressions = new LinkedHashMap<>();
                SEED_QUERIES.forEach(q -> expressions.put(q, "seed"));
                dashboardQueries().forEach((q, panel) -> expressions.putIfAbsent(q, panel));
                Map<String, String> ruleExprs = ruleExpressions();

                List<String> problems = new ArrayList<>();
                int withData = 0;
                for (Map.Entry<String, String> e : expressions.entrySet()) {
                    JsonNode answer = query(base, e.getKey());
                    if (!"success".equals(answer.path("status").asText())) {
                        problems.add("does not parse [" + e.getValue() + "] " + e.getKey() + ": " + answer.path("error").asText());
                        continue;
                    }
                    boolean inputsPresent = inputsPresent(base, e.getKey());
                    if (inputsPresent && !SEED_CONDITIONS.contains(e.getKey())) {
                        if (answer.path("data").path("result").isEmpty()) {
                            problems.add("no data [" + e.getValue() + "] " + e.getKey());
                        } else {
                            withData++;
                        }
                    }
                }
                for (Map.Entry<String, String> e : ruleExprs.entrySet()) {
                    JsonNode answer = query(base, e.getKey());
                    if (!"success".equals(answer.path("status").asText())) {
                        problems.add("rule does not parse [" + e.getValue() + "] " + e.getKey());
                    }
                }
                JsonNode rules = JSON.readTree(get(base + "/api/v1/rules"));
                for (JsonNode group : rules.path("data").path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        if (!"ok".equals(rule.path("health").asText())) {
                            problems.add("rule unhealthy: " + rule.path("name").asText() + " " + rule.path("lastError").asText());
                        }
                    }
                }
                assertTrue(problems.isEmpty(), String.join("\n", problems));
                assertTrue(withData >= 30, "only " + withData + " queries returned data");
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }

    private Process startPrometheus(int metricsPort, int port) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (Stream<Path> files = Files.list(OBSERVABILITY.resolve("prometheus/rules"))) {
            for (Path f : files.toList()) {
                Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - rules/*.yml
                scrape_configs:
                  - job_name: e2e3d
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(metricsPort));
        return new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** Every panel query of every shipped dashboard, with the panel's title. */
    static Map<String, String> dashboardQueries() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(OBSERVABILITY.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        if (target.has("expr")) {
                            queries.putIfAbsent(target.path("expr").asText(),
                                    dashboard.path("title").asText() + " / " + panel.path("title").asText());
                        }
                    }
                }
            }
        }
        return queries;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> ruleExpressions() throws Exception {
        Map<String, String> exprs = new LinkedHashMap<>();
        Load yaml = new Load(LoadSettings.builder().build());
        try (Stream<Path> files = Files.list(OBSERVABILITY.resolve("prometheus/rules"))) {
            for (Path file : files.sorted().toList()) {
                Map<String, Object> doc = (Map<String, Object>) yaml.loadFromString(Files.readString(file));
                for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
                    for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                        Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
                        exprs.put(String.valueOf(rule.get("expr")), String.valueOf(name));
                    }
                }
            }
        }
        return exprs;
    }

    /** Whether Prometheus holds a series for every selector the expression reads (name and label matchers). */
    static boolean inputsPresent(String base, String expr) throws Exception {
        for (String selector : selectors(expr)) {
            if (query(base, "count(" + selector + ")").path("data").path("result").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The vector selectors of an expression: series names with their label matchers, without functions or keywords. */
    static Set<String> selectors(String expr) {
        String stripped = expr.replaceAll("\\[[^]]*]", "")
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> selectors = new HashSet<>();
        Matcher m = Pattern.compile("\"[^\"]*\"|([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*(\\()?").matcher(stripped);
        while (m.find()) {
            if (m.group(1) != null && m.group(3) == null && !NOT_METRICS.contains(m.group(1).toLowerCase())) {
                selectors.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
            }
        }
        return selectors;
    }

    private static JsonNode query(String base, String expr) throws Exception {
        return JSON.readTree(get(base + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
