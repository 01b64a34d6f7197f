package io.e2e3d.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs one webhook body. Only a 2xx answer counts as delivered; redirects are not followed (a receiver
 * that moved must be given its new URL). Every attempt carries the delivery id, and the signature when a
 * secret is set.
 */
public class WebhookSender {

    public static final String DELIVERY_HEADER = "X-E2E3D-Delivery";

    /** What one attempt got: the HTTP status, or null with the error when no answer came. */
    public record Answer(Integer httpStatus, String error) {
        public boolean delivered() {
            return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final byte[] secret;

    public WebhookSender(WebhookSettings settings) {
        this.timeout = settings.timeout();
        this.secret = settings.signed() ? settings.secret().getBytes(StandardCharsets.UTF_8) : null;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Answer post(String url, String deliveryId, byte[] body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "e2e3d-flow")
                    .header(DELIVERY_HEADER, deliveryId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (secret != null) {
                request.header(WebhookSignature.HEADER, WebhookSignature.of(secret, body));
            }
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Answer(status, status >= 200 && status < 300 ? null : "HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Answer(null, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted (the service is stopping)");
        } catch (Exception e) {
            // connection refused, unknown host, TLS: the exception's class says which when it has no message
            return new Answer(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
