package io.e2e3d.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The service's view of S3: list by page, stream to and from files, presign. Works with any S3. */
public class ObjectStore {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final Duration presignFor;
    private final boolean listByFolder;

    /**
     * @param listByFolder list a whole bucket one top-level folder at a time: the embedded S3Proxy walks the
     *                     whole listed tree for every page it answers, so a flat listing of n objects costs
     *                     n/1000 full walks, while folder by folder it costs one.
     */
    public ObjectStore(S3Client s3, S3Presigner presigner, Duration presignFor, boolean listByFolder) {
        this.s3 = s3;
        this.presigner = presigner;
        this.presignFor = presignFor;
        this.listByFolder = listByFolder;
    }

    public S3Client client() {
        return s3;
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Fails unless the bucket answers; the health check's probe. */
    public void ping(String bucket) {
        s3.headBucket(b -> b.bucket(bucket));
    }

    /** Lists the bucket page by page (at most 1000 keys each, each page in key order); bodies are never read. */
    public void forEachPage(String bucket, String prefix, Consumer<List<S3Object>> page) {
        if (listByFolder && (prefix == null || prefix.isEmpty())) {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).delimiter("/")).forEach(top -> {
                if (!top.contents().isEmpty()) {
                    page.accept(top.contents());
                }
                top.commonPrefixes().forEach(folder -> forEachPage(bucket, folder.prefix(), page));
            });
            return;
        }
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix == null || prefix.isEmpty() ? null : prefix))
                .forEach(response -> {
                    if (!response.contents().isEmpty()) {
                        page.accept(response.contents());
                    }
                });
    }

    /** Streams one object to a file, never holding it in memory. */
    public void download(String bucket, String key, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads a small object (a manifest) whole, refusing one larger than {@code maxBytes}. */
    public byte[] readSmall(String bucket, String key, int maxBytes) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                throw new IOException(key + " is " + length + " bytes, more than the " + maxBytes + " allowed");
            }
            return readAtMost(in, maxBytes);
        }
    }

    /** The object's ETag (without quotes) and size, or null when there is no such object. */
    public ObjectVersion head(String bucket, String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return new ObjectVersion(unquote(head.eTag()), head.contentLength() == null ? 0 : head.contentLength());
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    public record ObjectVersion(String etag, long size) {
    }

    /** Uploads a file and returns its ETag, without quotes. */
    public String upload(String bucket, String key, Path file, String contentType) {
        return unquote(s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file)).eTag());
    }

    /** A GET URL for one object that expires after the configured time. */
    public URL presignGet(String bucket, String key) {
        return presigner.presignGetObject(b -> b.signatureDuration(presignFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url();
    }

    /** Object count and total bytes of a bucket, read from its listing. */
    public BucketUsage usage(String bucket) {
        long[] totals = new long[2];
        forEachPage(bucket, null, page -> page.forEach(o -> {
            totals[0]++;
            totals[1] += o.size();
        }));
        return new BucketUsage(totals[0], totals[1]);
    }

    public record BucketUsage(long objects, long bytes) {
    }

    public static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static byte[] readAtMost(InputStream in, int maxBytes) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new IOException("object is larger than the " + maxBytes + " bytes allowed");
        }
        return bytes;
    }
}
