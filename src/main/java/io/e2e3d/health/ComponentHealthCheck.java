package io.e2e3d.health;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Camel's view of one component: /observe/health lists it, /observe/health/ready uses the required ones. */
public class ComponentHealthCheck extends AbstractHealthCheck {

    private final Component component;
    private final ComponentChecks checks;

    public ComponentHealthCheck(Component component, ComponentChecks checks) {
        super("e2e3d", component.label());
        this.component = component;
        this.checks = checks;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return component.requiredForReadiness();
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ComponentStatus status = checks.latest(component);
        if (status == null) {
            status = checks.current().get(component);
        }
        builder.detail("detail", status.detail()).detail("checked_at", status.checkedAt().toString());
        if (status.healthy()) {
            builder.up();
        } else {
            builder.message(status.detail()).down();
        }
    }
}
