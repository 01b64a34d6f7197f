package io.e2e3d.engine;

import java.util.Map;
import java.util.TreeMap;

/** The reconstruction engines of this build, by name. */
public class Engines {

    private final Map<String, ReconstructionEngine> byName = new TreeMap<>();

    public Engines(ReconstructionEngine... engines) {
        for (ReconstructionEngine engine : engines) {
            byName.put(engine.name(), engine);
        }
    }

    /** The engine a job asked for; throws StageNotAvailableException when this build or machine lacks it. */
    public ReconstructionEngine require(String name) {
        ReconstructionEngine engine = byName.get(name);
        if (engine == null) {
            throw new StageNotAvailableException("reconstruction engine '" + name + "' is not available in this build"
                    + (byName.isEmpty() ? "" : "; available: " + String.join(", ", byName.keySet())));
        }
        if (!engine.available()) {
            throw new StageNotAvailableException("reconstruction engine '" + name + "' cannot run on this machine");
        }
        return engine;
    }

    /** Whether the named engine is present and can run; the health check's probe. */
    public boolean available(String name) {
        ReconstructionEngine engine = byName.get(name);
        return engine != null && engine.available();
    }
}
