package io.e2e3d.job;

import java.util.Locale;

/** Why a job failed; a fixed set, because it is stored for users and becomes a metric label. */
public enum ErrorType {
    TOO_FEW_IMAGES,
    STAGE_NOT_AVAILABLE,
    RECONSTRUCTION_FAILED,
    INVALID_IMAGE,
    STORAGE_ERROR,
    DATABASE_ERROR,
    TIMEOUT,
    TOO_MANY_ATTEMPTS,
    INTERNAL_ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
