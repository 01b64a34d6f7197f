package io.e2e3d.ingest;

import java.util.Locale;

/**
 * An object listed in the watched bucket that the ledger has not recorded yet, classified by its key.
 *
 * @param dataset the first segment of the key (the dataset it belongs to), or null for a top-level object
 * @param reason  why it cannot be used, for a REJECTED object
 */
public record SeenObject(String bucket, String key, String etag, long size, String dataset, ObjectKind kind, String reason) {

    public static SeenObject classify(String bucket, String key, String etag, long size) {
        int slash = key.indexOf('/');
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (slash <= 0) {
            return new SeenObject(bucket, key, etag, size, null, ObjectKind.REJECTED,
                    "not inside a dataset folder: upload photos as <dataset>/<photo>");
        }
        String dataset = key.substring(0, slash);
        if (name.equals(ObjectKind.MARKER_NAME)) {
            return new SeenObject(bucket, key, etag, size, dataset, ObjectKind.MARKER, null);
        }
        if (name.equals(ObjectKind.MANIFEST_NAME)) {
            return new SeenObject(bucket, key, etag, size, dataset, ObjectKind.MANIFEST, null);
        }
        if (name.isEmpty()) {
            return new SeenObject(bucket, key, etag, size, dataset, ObjectKind.REJECTED, "a folder marker, not a photo");
        }
        if (!ObjectKind.isImageName(name)) {
            return new SeenObject(bucket, key, etag, size, dataset, ObjectKind.REJECTED,
                    "not an image: accepted types are " + String.join(", ", ObjectKind.IMAGE_EXTENSIONS.stream().sorted().toList())
                            + " (any case), got '" + extension(name) + "'");
        }
        if (size == 0) {
            return new SeenObject(bucket, key, etag, size, dataset, ObjectKind.REJECTED, "empty file (0 bytes)");
        }
        return new SeenObject(bucket, key, etag, size, dataset, ObjectKind.IMAGE, null);
    }

    /** This object, or for an image over {@code maxBytes} the same object rejected with the reason. */
    public SeenObject limitedTo(long maxBytes) {
        if (kind == ObjectKind.IMAGE && size > maxBytes) {
            return new SeenObject(bucket, key, etag, size, dataset, ObjectKind.REJECTED,
                    "larger than the " + maxBytes + " bytes allowed per image (E2E3D_MAX_IMAGE_BYTES): " + size + " bytes");
        }
        return this;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "(none)" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
