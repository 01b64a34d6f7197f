package io.e2e3d.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Adds a minimal EXIF block (FocalLengthIn35mmFilm) to a JPEG, as a camera would write it. */
public final class ExifJpeg {

    private ExifJpeg() {
    }

    public static byte[] withFocal35mm(byte[] jpeg, int focal35mm) {
        ByteBuffer tiff = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);                                                  // IFD0: one entry
        tiff.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(26);    // pointer to the Exif IFD
        tiff.putInt(0);
        tiff.putShort((short) 1);                                                  // Exif IFD: one entry
        tiff.putShort((short) 0xA405).putShort((short) 3).putInt(1).putShort((short) focal35mm).putShort((short) 0);
        tiff.putInt(0);
        byte[] header = "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiff.position();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);                                                     // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(header);
        out.write(tiff.array(), 0, tiff.position());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
