package io.e2e3d.engine;

import java.nio.file.Path;

/**
 * One accepted image after preprocessing.
 *
 * @param key      the object key it came from
 * @param file     the RGB PNG in the workspace
 * @param width    width after downscaling
 * @param height   height after downscaling
 * @param focalPx  the EXIF focal length converted to pixels at this size, or null when EXIF has none
 */
public record PreparedImage(String key, Path file, int width, int height, Double focalPx) {
}
