package io.e2e3d.health;

import java.util.Locale;

/** The parts of the service whose health is checked; the names are the seed's /api/health keys. */
public enum Component {
    DATABASE(true), MINIO(true), RECONSTRUCTION(false), QUEUE(false);

    private final boolean requiredForReadiness;

    Component(boolean requiredForReadiness) {
        this.requiredForReadiness = requiredForReadiness;
    }

    /** Whether /observe/health/ready goes DOWN with it: without these the service cannot accept work. */
    public boolean requiredForReadiness() {
        return requiredForReadiness;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
