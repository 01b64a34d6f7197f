package io.e2e3d.job;

/** An object of a job's dataset: an accepted image, or a rejected object with the reason. */
public record JobImage(String key, String etag, long size, boolean accepted, String reason, Integer width, Integer height,
        Double focalPx) {

    public static JobImage accepted(String key, String etag, long size) {
        return new JobImage(key, etag, size, true, null, null, null, null);
    }

    public static JobImage rejected(String key, String etag, long size, String reason) {
        return new JobImage(key, etag, size, false, reason, null, null, null);
    }
}
