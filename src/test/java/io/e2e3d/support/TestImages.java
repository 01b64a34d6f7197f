package io.e2e3d.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small images made on the spot (fixed seeds), plus the broken files users upload by mistake. */
public final class TestImages {

    private TestImages() {
    }

    /** A textured photo-like image in the given format ("png", "jpg", "bmp", "tiff"). */
    public static byte[] textured(int width, int height, long seed, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Random random = new Random(seed);
        g.setColor(new Color(random.nextInt(0xFFFFFF)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 200; i++) {
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            int size = 4 + random.nextInt(Math.max(5, width / 8));
            g.fillOval(random.nextInt(width), random.nextInt(height), size, size);
        }
        g.dispose();
        return encode(image, format);
    }

    /** The first part of a real JPEG: a header that promises an image whose data never comes. */
    public static byte[] truncatedJpeg() {
        byte[] jpeg = textured(320, 240, 99, "jpg");
        return Arrays.copyOf(jpeg, 200);
    }

    /** Bytes that are no image at all, whatever the file name says. */
    public static byte[] garbage() {
        return "this is not a photo, just text pretending to be one".getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
