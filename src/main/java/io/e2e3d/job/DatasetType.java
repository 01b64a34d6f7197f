package io.e2e3d.job;

import java.util.Locale;

/** What the photos show; a bounded set because it becomes a metric label. */
public enum DatasetType {
    OBJECT, SCENE, AERIAL, UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
