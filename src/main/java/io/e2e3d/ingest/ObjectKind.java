package io.e2e3d.ingest;

import java.util.Locale;
import java.util.Set;

/** What an object in the watched bucket is to the ingest: a photo, a marker, a manifest, or none of these. */
public enum ObjectKind {
    IMAGE, MARKER, MANIFEST, REJECTED;

    public static final String MARKER_NAME = "_READY";
    public static final String MANIFEST_NAME = "manifest.json";
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "tif", "tiff", "bmp");

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
