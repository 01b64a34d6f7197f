package io.e2e3d.job;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Job ids: {@code job_} and 12 hex digits, unless the user supplies a valid one. */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    public static String next() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "job_" + HexFormat.of().formatHex(bytes);
    }
}
