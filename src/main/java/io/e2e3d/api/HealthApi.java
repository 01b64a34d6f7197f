package io.e2e3d.api;

import io.e2e3d.health.Component;
import io.e2e3d.health.ComponentChecks;
import io.e2e3d.health.ComponentStatus;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/** GET /api/health in the seed's shape: {status, components: {database, minio, reconstruction}, timestamp}. */
public class HealthApi {

    private final ComponentChecks checks;

    public HealthApi(ComponentChecks checks) {
        this.checks = checks;
    }

    public Object health(Exchange exchange) {
        Map<Component, ComponentStatus> current = checks.current();
        Map<String, Object> components = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean healthy = true;
        for (Component component : new Component[] {Component.DATABASE, Component.MINIO, Component.RECONSTRUCTION}) {
            ComponentStatus status = current.get(component);
            healthy &= status.healthy();
            components.put(component.label(), status.healthy() ? "healthy" : "unhealthy");
            details.put(component.label(), status.detail());
        }
        ComponentStatus queue = current.get(Component.QUEUE);
        details.put(Component.QUEUE.label(), queue.detail());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", healthy ? "healthy" : "unhealthy");
        answer.put("components", components);
        answer.put("details", details);
        answer.put("timestamp", OffsetDateTime.now(ZoneOffset.UTC).toString());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, healthy ? 200 : 500);
        return answer;
    }
}
