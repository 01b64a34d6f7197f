package io.e2e3d.job;

import java.util.Locale;

/** The reconstruction stages, in the order a job runs them. */
public enum Stage {
    PREPROCESSING,
    FEATURE_EXTRACTION,
    FEATURE_MATCHING,
    SPARSE_RECONSTRUCTION,
    DENSE_RECONSTRUCTION,
    MESHING,
    TEXTURING;

    /** The name stored in job_stages and used as the {@code stage} metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The id of the stage's route, reached at {@code direct:<routeId>}. */
    public String routeId() {
        return "stage-" + label().replace('_', '-');
    }

    public static Stage fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
