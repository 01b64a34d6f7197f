package io.e2e3d.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;

/**
 * Guards the mutating endpoints when E2E3D_API_KEY is set: the request must carry the key as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. Keys are compared in constant time.
 */
class ApiKeyCheck {

    private final byte[] key;

    ApiKeyCheck(String key) {
        this.key = key == null || key.isBlank() ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    void check(Exchange exchange) {
        if (key == null) {
            return;
        }
        String presented = exchange.getMessage().getHeader("X-API-Key", String.class);
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || !MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, presented == null
                    ? "this endpoint needs the API key: send Authorization: Bearer <key> or X-API-Key: <key>"
                    : "wrong API key");
        }
    }
}
