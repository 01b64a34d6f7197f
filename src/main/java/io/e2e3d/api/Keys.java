package io.e2e3d.api;

import java.util.regex.Pattern;

/** Checks the bucket names, prefixes and file names users send, before any of them reaches S3. */
final class Keys {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private Keys() {
    }

    static String bucket(String bucket) {
        if (!BUCKET.matcher(bucket).matches()) {
            throw ApiException.badRequest("bucket must be 3-63 lowercase letters, digits, '.' or '-'");
        }
        return bucket;
    }

    /** A dataset prefix such as {@code scan-01} or {@code site/scan-01}, returned without slashes at the ends. */
    static String prefix(String prefix) {
        String p = prefix.strip();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw ApiException.badRequest("prefix must name a dataset folder, for example \"scan-01\"");
        }
        checkPath(p, "prefix");
        return p;
    }

    /** The last path segment of an uploaded file's name, checked like a key segment. */
    static String fileName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("every uploaded file needs a file name");
        }
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        checkPath(base, "file name '" + printable(name) + "'");
        return base;
    }

    private static void checkPath(String path, String what) {
        if (path.length() > 512) {
            throw ApiException.badRequest(what + " is longer than 512 characters");
        }
        if (path.startsWith("/")) {
            throw ApiException.badRequest(what + " must be relative (no leading '/')");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw ApiException.badRequest(what + " must not contain empty, '.' or '..' segments");
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                throw ApiException.badRequest(what + " must not contain control characters or backslashes");
            }
        }
    }

    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(80).forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return sb.toString();
    }
}
