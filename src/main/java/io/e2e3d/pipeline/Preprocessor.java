package io.e2e3d.pipeline;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import io.e2e3d.job.ErrorType;
import io.e2e3d.job.JobFailure;
import io.e2e3d.job.JobImage;
import io.e2e3d.job.JobRepository;
import io.e2e3d.storage.ObjectStore;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The preprocessing stage: streams each accepted image from S3 into the workspace, decodes it (rejecting
 * corrupt, undecodable and too small ones with a reason), reads the EXIF focal length, downscales it to
 * the quality's longest side and stores it as RGB PNG. Decoding subsamples large photos on read, so the
 * heap needed does not grow with the original photo size.
 */
public class Preprocessor {

    private final ObjectStore store;
    private final JobRepository jobs;
    private final int minImages;
    private final int minSide;

    public Preprocessor(ObjectStore store, JobRepository jobs, int minImages, int minSide) {
        this.store = store;
        this.jobs = jobs;
        this.minImages = minImages;
        this.minSide = minSide;
    }

    public void run(JobRun run) throws IOException {
        List<JobImage> images = jobs.images(run.jobId());
        Path raw = run.workspace().resolve("raw");
        Files.createDirectories(raw);
        int accepted = 0;
        int rejected = 0;
        for (int seq = 0; seq < images.size(); seq++) {
            run.checkCanceled();
            JobImage image = images.get(seq);
            if (image.accepted()) {
                Path download = raw.resolve(Integer.toString(seq));
                store.download(run.job().bucket(), image.key(), download);
                try {
                    Prepared prepared = prepare(download, run.workspaceDirs().preparedImage(seq), run.quality().longestSide());
                    jobs.imagePrepared(run.jobId(), image.key(), prepared.width(), prepared.height(), prepared.focalPx());
                    accepted++;
                } catch (RejectedImage e) {
                    jobs.rejectImage(run.jobId(), image.key(), e.getMessage());
                    run.log("rejected " + image.key() + ": " + e.getMessage());
                    rejected++;
                } finally {
                    Files.deleteIfExists(download);
                }
            }
            run.progress((seq + 1.0) / images.size());
        }
        jobs.recountImages(run.jobId());
        run.refreshImages();
        run.detail("images_accepted", accepted);
        run.detail("images_rejected", rejected);
        if (accepted < minImages) {
            throw new JobFailure(ErrorType.TOO_FEW_IMAGES, accepted + " usable image" + (accepted == 1 ? "" : "s")
                    + ", at least " + minImages + " are needed"
                    + (rejected > 0 ? " (" + rejected + " rejected: see the job's images for reasons)" : ""));
        }
    }

    /** Decodes, downscales and stores one image; throws RejectedImage with a reason a user can act on. */
    Prepared prepare(Path source, Path target, int longestSide) throws IOException {
        if (Files.size(source) == 0) {
            throw new RejectedImage("empty file (0 bytes)");
        }
        BufferedImage decoded;
        int originalWidth;
        int originalHeight;
        try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new RejectedImage("not a decodable image (unknown format)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                originalWidth = reader.getWidth(0);
                originalHeight = reader.getHeight(0);
                if (Math.min(originalWidth, originalHeight) < minSide) {
                    throw new RejectedImage("too small: " + originalWidth + "x" + originalHeight
                            + ", the shorter side must be at least " + minSide + " px");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int subsampling = Math.max(1, Math.max(originalWidth, originalHeight) / longestSide);
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                decoded = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                if (e instanceof RejectedImage) {
                    throw e;
                }
                throw new RejectedImage("corrupt or truncated image: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            } finally {
                reader.dispose();
            }
        }
        int longest = Math.max(decoded.getWidth(), decoded.getHeight());
        double scale = Math.min(1.0, (double) longestSide / longest);
        int width = Math.max(1, (int) Math.round(decoded.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(decoded.getHeight() * scale));
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(decoded, 0, 0, width, height, null);
        g.dispose();
        Files.createDirectories(target.getParent());
        ImageIO.write(rgb, "png", target.toFile());
        return new Prepared(width, height, focalPixels(source, originalWidth, originalHeight, width, height));
    }

    /** EXIF focal length in pixels at the prepared size: from the 35 mm equivalent, else the focal plane. */
    static Double focalPixels(Path source, int originalWidth, int originalHeight, int width, int height) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(source.toFile());
            ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
            if (exif == null) {
                return null;
            }
            int longest = Math.max(width, height);
            Double f35 = exif.getDoubleObject(ExifSubIFDDirectory.TAG_35MM_FILM_EQUIV_FOCAL_LENGTH);
            if (f35 != null && f35 > 0) {
                return f35 * longest / 36.0;
            }
            Double fmm = exif.getDoubleObject(ExifSubIFDDirectory.TAG_FOCAL_LENGTH);
            Double planeX = exif.getDoubleObject(ExifSubIFDDirectory.TAG_FOCAL_PLANE_X_RESOLUTION);
            Integer unit = exif.getInteger(ExifSubIFDDirectory.TAG_FOCAL_PLANE_RESOLUTION_UNIT);
            if (fmm != null && fmm > 0 && planeX != null && planeX > 0) {
                double mmPerUnit = unit == null || unit == 2 ? 25.4 : unit == 3 ? 10.0 : unit == 4 ? 1.0 : 25.4;
                double pixelsPerMm = planeX / mmPerUnit;
                return fmm * pixelsPerMm * width / originalWidth;
            }
            return null;
        } catch (Exception e) {
            return null; // no readable EXIF is normal for PNG and BMP
        }
    }

    record Prepared(int width, int height, Double focalPx) {
    }

    /** An image that cannot be used; the message is stored as the reason. */
    static class RejectedImage extends IOException {
        RejectedImage(String reason) {
            super(reason);
        }
    }
}
