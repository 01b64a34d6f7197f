package io.e2e3d.job;

import java.util.Locale;

public enum JobStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    public static JobStatus fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
