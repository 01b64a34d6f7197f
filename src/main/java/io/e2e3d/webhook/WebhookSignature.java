package io.e2e3d.webhook;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The value of the signature header: {@code sha256=} and the hex HMAC-SHA256 of the exact body bytes under
 * the shared secret. A receiver computes the same over the raw body and compares in constant time.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-E2E3D-Signature";

    private WebhookSignature() {
    }

    public static String of(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
