package io.e2e3d.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.job.JobOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/** A dataset's manifest.json: {dataset_type, quality, engine, notify_url}, every field optional. */
public final class Manifest {

    public static final int MAX_BYTES = 64 * 1024;
    private static final Set<String> FIELDS = Set.of("dataset_type", "quality", "engine", "notify_url");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Manifest() {
    }

    /** Parses and validates; the message of the IllegalArgumentException says what is wrong. */
    public static JobOptions parse(byte[] bytes, String defaultEngine) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("manifest.json is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest.json could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("manifest.json must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("manifest.json has an unknown field '" + field + "'; allowed: "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
            if (!root.get(field).isTextual()) {
                throw new IllegalArgumentException("manifest.json field '" + field + "' must be a string");
            }
        }
        return JobOptions.of(text(root, "dataset_type"), text(root, "quality"), text(root, "engine"),
                text(root, "notify_url"), defaultEngine);
    }

    public static JobOptions parse(String text, String defaultEngine) {
        return parse(text.getBytes(StandardCharsets.UTF_8), defaultEngine);
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null ? null : node.asText();
    }
}
