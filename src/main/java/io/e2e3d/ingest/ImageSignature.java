package io.e2e3d.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a file's first bytes are those of an accepted image format, whatever its name says. */
public final class ImageSignature {

    private static final byte[][] SIGNATURES = {
        {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},                          // JPEG
        {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},             // PNG
        {'I', 'I', 0x2A, 0x00},                                           // TIFF, little-endian
        {'M', 'M', 0x00, 0x2A},                                           // TIFF, big-endian
        {'B', 'M'},                                                       // BMP
    };

    private ImageSignature() {
    }

    public static boolean matches(Path file) throws IOException {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        for (byte[] signature : SIGNATURES) {
            if (n >= signature.length && startsWith(head, signature)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] head, byte[] signature) {
        for (int i = 0; i < signature.length; i++) {
            if (head[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
