package io.e2e3d.engine.boofcv;

import java.util.Arrays;

/**
 * Normalised cross-correlation between square windows of a reference image and of a second image delivered row
 * by row (a neighbour view warped onto a plane). The window sums run down the image as column sums over a ring
 * of the last rows, so everything a pixel needs stays in cache: the plane sweep calls this for every plane and
 * neighbour, and whole-image box filters per sum were bound by memory traffic.
 */
final class WindowedNcc {
    /** Fills one row of the second image: values, and 1 where a value exists, 0 where not. */
    interface Rows {
        void row(int y, float[] values, float[] valid);
    }

    final int width, height, radius;
    private final float[] ref;
    private final float[] refMean, refStd;
    private final float minStd;
    private final int side, area;
    private final float[][] ringValues, ringValid;
    private final double[] colValid, colSum, colSquares, colCross;

    /**
     * @param ref    the reference image, row-major
     * @param minStd windows of either image with a smaller standard deviation (flat) get no correlation
     */
    WindowedNcc(float[] ref, int width, int height, int radius, float minStd) {
        this.ref = ref;
        this.width = width;
        this.height = height;
        this.radius = radius;
        this.minStd = minStd;
        this.side = 2 * radius + 1;
        this.area = side * side;
        ringValues = new float[side][width];
        ringValid = new float[side][width];
        colValid = new double[width];
        colSum = new double[width];
        colSquares = new double[width];
        colCross = new double[width];
        refMean = new float[width * height];
        refStd = new float[width * height];
        referenceStatistics();
    }

    /** Window mean and standard deviation of the reference image (0 where the window leaves the image). */
    private void referenceStatistics() {
        double[] s = new double[width], sq = new double[width];
        for (int yy = 0; yy < height; yy++) {
            int add = yy * width;
            for (int x = 0; x < width; x++) {
                s[x] += ref[add + x];
                sq[x] += (double) ref[add + x] * ref[add + x];
            }
            if (yy >= side) {
                int sub = (yy - side) * width;
                for (int x = 0; x < width; x++) {
                    s[x] -= ref[sub + x];
                    sq[x] -= (double) ref[sub + x] * ref[sub + x];
                }
            }
            int y = yy - radius;
            if (y < radius) continue;
            double ws = 0, wsq = 0;
            for (int x = 0; x < side - 1 && x < width; x++) {
                ws += s[x];
                wsq += sq[x];
            }
            for (int x = radius; x < width - radius; x++) {
                ws += s[x + radius];
                wsq += sq[x + radius];
                double mean = ws / area;
                refMean[y * width + x] = (float) mean;
                refStd[y * width + x] = (float) Math.sqrt(Math.max(0, wsq / area - mean * mean));
                ws -= s[x - radius];
                wsq -= sq[x - radius];
            }
        }
    }

    float referenceStd(int x, int y) {
        return refStd[y * width + x];
    }

    /**
     * The correlation of every pixel's window, into {@code out}; -1 where the window leaves the image, holds a
     * pixel without value, or is flat in either image.
     */
    void compute(Rows rows, float[] out) {
        Arrays.fill(colValid, 0);
        Arrays.fill(colSum, 0);
        Arrays.fill(colSquares, 0);
        Arrays.fill(colCross, 0);
        for (int y = 0; y < Math.min(radius, height); y++) Arrays.fill(out, y * width, (y + 1) * width, -1f);
        for (int y = Math.max(radius, height - radius); y < height; y++) Arrays.fill(out, y * width, (y + 1) * width, -1f);
        double minVar = minStd * minStd * 0.25;
        for (int yy = 0; yy < height; yy++) {
            int slot = yy % side;
            if (yy >= side) {
                // the row leaving the window sits in the slot the new row takes
                float[] v = ringValues[slot], ok = ringValid[slot];
                int sub = (yy - side) * width;
                for (int x = 0; x < width; x++) {
                    double val = v[x];
                    colValid[x] -= ok[x];
                    colSum[x] -= val;
                    colSquares[x] -= val * val;
                    colCross[x] -= val * ref[sub + x];
                }
            }
            float[] v = ringValues[slot], ok = ringValid[slot];
            rows.row(yy, v, ok);
            int add = yy * width;
            for (int x = 0; x < width; x++) {
                double val = v[x];
                colValid[x] += ok[x];
                colSum[x] += val;
                colSquares[x] += val * val;
                colCross[x] += val * ref[add + x];
            }
            int y = yy - radius;
            if (y < radius) continue;
            int row = y * width;
            for (int x = 0; x < Math.min(radius, width); x++) out[row + x] = -1f;
            for (int x = Math.max(radius, width - radius); x < width; x++) out[row + x] = -1f;
            double sValid = 0, sSum = 0, sSquares = 0, sCross = 0;
            for (int x = 0; x < side - 1 && x < width; x++) {
                sValid += colValid[x];
                sSum += colSum[x];
                sSquares += colSquares[x];
                sCross += colCross[x];
            }
            for (int x = radius; x < width - radius; x++) {
                int in = x + radius, gone = x - radius;
                sValid += colValid[in];
                sSum += colSum[in];
                sSquares += colSquares[in];
                sCross += colCross[in];
                int i = row + x;
                float stdRef = refStd[i];
                float c = -1f;
                if (sValid > area - 0.5 && stdRef >= minStd) {
                    double mean = sSum / area;
                    double var = sSquares / area - mean * mean;
                    if (var >= minVar) c = (float) ((sCross / area - refMean[i] * mean) / (stdRef * Math.sqrt(var)));
                }
                out[i] = c;
                sValid -= colValid[gone];
                sSum -= colSum[gone];
                sSquares -= colSquares[gone];
                sCross -= colCross[gone];
            }
        }
    }
}
