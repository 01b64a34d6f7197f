package io.e2e3d.console;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * What the console page needs to know about the service, served as GET /api/console: where Grafana and
 * Prometheus are (links shown only when set), and whether creating or canceling a job needs the API key, so
 * the page can ask for it before sending a large upload.
 */
public record ConsoleSettings(String grafanaUrl, String prometheusUrl, boolean apiKeyRequired) {

    public static ConsoleSettings load(CamelContext context, boolean apiKeyRequired) {
        return new ConsoleSettings(url(context, "e2e3d.console.grafana-url"), url(context, "e2e3d.console.prometheus-url"),
                apiKeyRequired);
    }

    /** The handler of GET /api/console. */
    public Object describe(Exchange exchange) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("grafana_url", grafanaUrl);
        answer.put("prometheus_url", prometheusUrl);
        answer.put("api_key_required", apiKeyRequired);
        return answer;
    }

    /** A configured link, or null; only http(s) URLs, so a setting can never become a javascript: link. */
    private static String url(CamelContext context, String key) {
        String value = context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
        if (value.isEmpty()) {
            return null;
        }
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw new IllegalArgumentException("setting " + key + " must be an http:// or https:// URL, got '" + value + "'");
        }
        return value;
    }
}
