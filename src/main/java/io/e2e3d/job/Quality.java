package io.e2e3d.job;

import java.util.Locale;

/** Reconstruction quality; decides how far preprocessing downscales the photos. */
public enum Quality {
    LOW(1600),
    MEDIUM(2000),
    HIGH(3200);

    private final int longestSide;

    Quality(int longestSide) {
        this.longestSide = longestSide;
    }

    /** Longest image side, in pixels, after preprocessing. */
    public int longestSide() {
        return longestSide;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
