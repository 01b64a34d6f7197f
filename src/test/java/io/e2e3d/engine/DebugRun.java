package io.e2e3d.engine;

import io.e2e3d.engine.boofcv.BoofcvEngine;
import io.e2e3d.engine.synthetic.SyntheticRun;
import io.e2e3d.job.Stage;
import java.nio.file.Path;

public class DebugRun {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        SyntheticRun run = new SyntheticRun(dir, Integer.parseInt(a[1]), Double.parseDouble(a[2]), Integer.parseInt(a[3]),
                Integer.parseInt(a[4]), Double.parseDouble(a[5]), true);
        run.context.verbose = a.length > 7;
        run.run(new BoofcvEngine(), Stage.valueOf(a[6]));
        System.out.println(run.evaluate());
    }
}
