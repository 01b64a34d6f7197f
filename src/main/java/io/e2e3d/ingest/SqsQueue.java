package io.e2e3d.ingest;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS queue S3 sends its event notifications to, named by its URL alone: the URL's host is the endpoint
 * ({@code https://sqs.eu-west-1.amazonaws.com/123456789012/e2e3d-input}, or an SQS-compatible server), its
 * last segment the queue name, and an AWS host names the region.
 */
public record SqsQueue(URI url) {

    private static final Pattern AWS_HOST = Pattern.compile("sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

    public static SqsQueue of(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("E2E3D_SQS_QUEUE_URL is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null || uri.getPath() == null
                || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("E2E3D_SQS_QUEUE_URL must be a queue URL such as "
                    + "https://sqs.<region>.amazonaws.com/<account>/<queue>, got '" + url + "'");
        }
        return new SqsQueue(uri);
    }

    public String name() {
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public URI endpoint() {
        return URI.create(url.getScheme() + "://" + url.getAuthority());
    }

    /** The region of an AWS queue URL, else {@code fallback} (the S3 region: S3 notifies queues of its own region). */
    public String region(String fallback) {
        Matcher m = AWS_HOST.matcher(url.getHost());
        return m.matches() ? m.group(1) : fallback;
    }

    public SqsClient client(String fallbackRegion, AwsCredentialsProvider credentials) {
        return SqsClient.builder().endpointOverride(endpoint()).region(Region.of(region(fallbackRegion)))
                .credentialsProvider(credentials).build();
    }
}
