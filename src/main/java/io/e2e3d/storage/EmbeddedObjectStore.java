package io.e2e3d.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.apache.camel.support.service.ServiceSupport;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3Proxy in-process over a folder: each bucket is a directory under {@code root}, so copying files into
 * {@code root/<bucket>/<dataset>/} is an upload too. Started before the routes, stopped after them.
 */
public class EmbeddedObjectStore extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedObjectStore.class);

    private final Path root;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    public EmbeddedObjectStore(Path root, int port, String accessKey, String secretKey) {
        this.root = root;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(root);
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toString()))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .corsRules(downloadsFromAnyPage())
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            if (proxy.getState().equals("FAILED")) {
                throw new IllegalStateException("embedded S3 failed to start on " + endpoint);
            }
            Thread.sleep(20);
        }
        LOG.info("Embedded S3 (S3Proxy) at {} over {}; access key '{}' (set E2E3D_S3_ACCESS_KEY / E2E3D_S3_SECRET_KEY to change)",
                endpoint, root, accessKey);
    }

    /**
     * The console page (another origin: the service's HTTP port) downloads results with presigned URLs, so the
     * store answers cross-origin GETs from any page; the signature in the URL is still what authorizes them.
     */
    private static CrossOriginResourceSharing downloadsFromAnyPage() {
        return new CrossOriginResourceSharing(List.of("*"), List.of("GET", "HEAD"), List.of("*"),
                List.of("Content-Length", "ETag"), "false");
    }

    @Override
    protected void doStop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }
}
