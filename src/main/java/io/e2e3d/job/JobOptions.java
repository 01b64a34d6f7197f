package io.e2e3d.job;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options a user may set on a job, from the REST API or a manifest.json, validated in one place.
 * Each parse method throws {@link IllegalArgumentException} with a message fit for a 400 answer.
 */
public record JobOptions(DatasetType datasetType, Quality quality, String engine, String notifyUrl) {

    public static final Set<String> ENGINES = Set.of("boofcv", "colmap");
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public static JobOptions of(String datasetType, String quality, String engine, String notifyUrl, String defaultEngine) {
        return new JobOptions(
                datasetType == null ? DatasetType.UNKNOWN : parseEnum(DatasetType.class, "dataset_type", datasetType),
                quality == null ? Quality.MEDIUM : parseEnum(Quality.class, "quality", quality),
                engine == null ? defaultEngine : parseEngine(engine),
                notifyUrl == null || notifyUrl.isBlank() ? null : parseNotifyUrl(notifyUrl));
    }

    public static boolean validJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    public static String requireJobId(String id) {
        if (!validJobId(id)) {
            throw new IllegalArgumentException(
                    "job_id must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    private static String parseEngine(String engine) {
        String value = engine.trim().toLowerCase(Locale.ROOT);
        if (!ENGINES.contains(value)) {
            throw new IllegalArgumentException("engine must be one of " + String.join(", ", ENGINES.stream().sorted().toList()));
        }
        return value;
    }

    private static String parseNotifyUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || url.length() > 2048) {
                throw new IllegalArgumentException("notify_url must be an absolute http(s) URL");
            }
            return uri.toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("notify_url must be an absolute http(s) URL");
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(field + " must be one of " + allowed);
        }
    }
}
