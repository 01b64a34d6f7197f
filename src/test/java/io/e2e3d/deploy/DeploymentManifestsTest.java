package io.e2e3d.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * No Docker engine runs here, so what can be checked is checked: the compose file, the Kubernetes manifests and
 * the Prometheus configuration agree with the service's own configuration (variable names, ports, probe paths,
 * scrape target).
 */
@SuppressWarnings("unchecked")
class DeploymentManifestsTest {

    private static final Load YAML = new Load(LoadSettings.builder().build());

    /** Every environment variable the service reads: the {{env:NAME...}} of application.properties. */
    static Set<String> serviceVariables() throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\\{env:([A-Z0-9_]+)").matcher(
                Files.readString(Path.of("src/main/resources/application.properties")));
        while (m.find()) {
            names.add(m.group(1));
        }
        names.add("E2E3D_ROUTES"); // read by Application before the properties
        return names;
    }

    @Test
    void composeGivesTheServiceOnlyVariablesItReadsAndProbesItsLiveness() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) YAML.loadFromString(Files.readString(Path.of("docker/compose.yaml")));
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("e2e3d");
        Map<String, Object> env = (Map<String, Object>) service.get("environment");
        Set<String> unknown = new TreeSet<>(env.keySet());
        unknown.removeAll(serviceVariables());
        assertTrue(unknown.isEmpty(), "compose sets variables the service never reads: " + unknown);
        assertEquals("8080", String.valueOf(env.get("E2E3D_HTTP_PORT")));
        assertEquals("9101", String.valueOf(env.get("E2E3D_METRICS_PORT")));
        assertEquals(2, ((Map<String, Object>) service.get("deploy")).get("replicas"));
        assertTrue(String.valueOf(((Map<String, Object>) service.get("healthcheck")).get("test")).contains(":8080/observe/health/live"));
        for (String secret : List.of("E2E3D_S3_SECRET_KEY", "E2E3D_DB_PASSWORD", "E2E3D_API_KEY")) {
            assertTrue(String.valueOf(env.get(secret)).startsWith("${"), secret + " comes from .env, never baked in");
        }
    }

    @Test
    void kubernetesManifestsMatchTheServicePortsProbesAndVariables() throws Exception {
        Set<String> variables = serviceVariables();
        Map<String, Object> configMap = load("docker/k8s/configmap.yaml");
        Map<String, Object> secret = load("docker/k8s/secret.yaml");
        Set<String> unknown = new TreeSet<>(((Map<String, Object>) configMap.get("data")).keySet());
        unknown.addAll(((Map<String, Object>) secret.get("stringData")).keySet());
        unknown.removeAll(variables);
        assertTrue(unknown.isEmpty(), "ConfigMap/Secret set variables the service never reads: " + unknown);

        Map<String, Object> deployment = load("docker/k8s/deployment.yaml");
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
        Map<String, Object> annotations = (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("annotations");
        assertEquals("9101", annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
        Map<String, Object> container = ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
        List<Integer> ports = new ArrayList<>();
        for (Map<String, Object> port : (List<Map<String, Object>>) container.get("ports")) {
            ports.add((Integer) port.get("containerPort"));
        }
        assertEquals(List.of(8080, 9101), ports);
        assertEquals("/observe/health/live", probePath(container, "livenessProbe"));
        assertEquals("/observe/health/ready", probePath(container, "readinessProbe"));
        for (Map<String, Object> var : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
            assertTrue(variables.contains((String) var.get("name")), "unknown variable " + var.get("name"));
        }
        Map<String, Object> service = load("docker/k8s/service.yaml");
        List<Integer> servicePorts = new ArrayList<>();
        for (Map<String, Object> port : (List<Map<String, Object>>) ((Map<String, Object>) service.get("spec")).get("ports")) {
            servicePorts.add((Integer) port.get("port"));
        }
        assertEquals(List.of(8080, 9101), servicePorts);
    }

    @Test
    void prometheusScrapesTheServiceOnItsMetricsPort() throws Exception {
        Map<String, Object> config = load("observability/prometheus/prometheus.yml");
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
                .filter(j -> "e2e3d".equals(j.get("job_name"))).findFirst().orElseThrow();
        String text = job.toString();
        assertTrue(text.contains("e2e3d") && text.contains("9101"), "scrapes e2e3d on 9101: " + text);
        assertEquals("/metrics", job.getOrDefault("metrics_path", "/metrics"));
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return (String) ((Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet")).get("path");
    }

    private static Map<String, Object> load(String path) throws Exception {
        return (Map<String, Object>) YAML.loadFromString(Files.readString(Path.of(path)));
    }
}
