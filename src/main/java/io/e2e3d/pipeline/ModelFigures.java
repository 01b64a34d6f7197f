package io.e2e3d.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.job.StageRecord;
import java.io.IOException;
import java.util.List;

/**
 * The figures of a finished model, read from what the stages recorded (their details): views registered by
 * sparse reconstruction, points of the dense cloud, faces of the mesh.
 */
record ModelFigures(int registeredViews, long points, long faces) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ModelFigures of(List<StageRecord> stages) {
        return new ModelFigures((int) find(stages, "views_registered"), find(stages, "dense_points"), find(stages, "mesh_faces"));
    }

    private static long find(List<StageRecord> stages, String key) {
        long value = 0;
        for (StageRecord stage : stages) {
            if (stage.details() == null) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(stage.details()).get(key);
                if (node != null && node.isNumber()) {
                    value = node.asLong();
                }
            } catch (IOException e) {
                // details that are not JSON carry no figures
            }
        }
        return value;
    }
}
