package io.e2e3d.pipeline;

import io.e2e3d.job.Stage;

/** How much of a job's 0-100 progress each stage covers, roughly its share of the work. */
final class StageWeights {

    private static final int[] WEIGHTS = {10, 15, 15, 15, 25, 10, 10};

    private StageWeights() {
    }

    static int weight(Stage stage) {
        return WEIGHTS[stage.ordinal()];
    }

    static int start(Stage stage) {
        int sum = 0;
        for (int i = 0; i < stage.ordinal(); i++) {
            sum += WEIGHTS[i];
        }
        return sum;
    }
}
