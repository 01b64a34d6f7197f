package io.e2e3d.support;

import io.e2e3d.storage.EmbeddedObjectStore;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 server of the tests' own (S3Proxy over a folder, the same one the embedded mode runs), for tests that
 * run the service in external mode: several instances sharing it, or a fault proxy between it and the service.
 */
public final class StandaloneS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "e2e3d";
    public static final String SECRET_KEY = "e2e3d-local-secret";

    private final EmbeddedObjectStore store;
    private final S3Client client;

    public StandaloneS3(Path root) throws Exception {
        store = new EmbeddedObjectStore(root, Ports.free(), ACCESS_KEY, SECRET_KEY);
        store.start();
        client = client(store.endpoint());
    }

    /** A path-style client of the S3 at {@code endpoint} with the tests' credentials. */
    public static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true).build();
    }

    public URI endpoint() {
        return store.endpoint();
    }

    public int port() {
        return store.endpoint().getPort();
    }

    /** A client that talks to the server directly, never through a fault proxy. */
    public S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        store.stop();
    }
}
