package io.e2e3d.engine.boofcv;

import io.e2e3d.engine.synthetic.SyntheticScene;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.List;
import javax.imageio.ImageIO;

public class DebugProj {
    public static void main(String[] a) throws Exception {
        List<SyntheticScene.Camera> cams = SyntheticScene.orbit(16, 15, 4.2, 2.6, 320, 240, 260);
        for (int v : new int[] {0, 5}) {
            BufferedImage img = new SyntheticScene(42).render(cams.get(v));
            double[][] pts = {{-1.15, -0.7, 1}, {0.25, -0.7, 1}, {0.25, 0.3, 1}, {-1.15, 0.3, 1}, {0.25, 0.3, 0}, {0.25, -0.7, 0}, {0.85, 0.45, 0.9}, {3, 3, 0}, {3, -3, 0}};
            for (double[] p : pts) {
                double[] uv = cams.get(v).project(p);
                int u = (int) Math.round(uv[0]), w = (int) Math.round(uv[1]);
                for (int d = -3; d <= 3; d++) {
                    if (u + d >= 0 && u + d < 320 && w >= 0 && w < 240) img.setRGB(u + d, w, 0xFF00FF);
                    if (w + d >= 0 && w + d < 240 && u >= 0 && u < 320) img.setRGB(u, w + d, 0xFF00FF);
                }
            }
            BufferedImage big = new BufferedImage(960, 720, BufferedImage.TYPE_INT_RGB);
            big.getGraphics().drawImage(img, 0, 0, 960, 720, null);
            ImageIO.write(big, "png", new File("/tmp/dbg/proj" + v + ".png"));
        }
    }
}
