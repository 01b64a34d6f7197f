package io.e2e3d.health;

import java.time.OffsetDateTime;

/** The outcome of one check of one component. */
public record ComponentStatus(Component component, boolean healthy, String detail, OffsetDateTime checkedAt) {
}
