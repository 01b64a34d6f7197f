package io.e2e3d;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;

/** Starts E2E3D Flow: Camel Main finds the configuration, the Java routes and the YAML routes. */
public final class Application {

    private Application() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main(Application.class);
        main.addInitialProperty("e2e3d.routes", routesLocation());
        System.exit(main.run(args));
    }

    /**
     * The YAML routes: E2E3D_ROUTES when set, else ./routes/*.yaml when the service runs from a folder that
     * has them (the repository, the container image), else the copies packaged in the jar.
     */
    public static String routesLocation() {
        String configured = System.getenv("E2E3D_ROUTES");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isDirectory(Path.of("routes")) ? "file:routes/*.yaml" : "classpath:routes/*.yaml";
    }
}
