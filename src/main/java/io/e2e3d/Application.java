package io.e2e3d;

import org.apache.camel.main.Main;

/** Starts E2E3D Flow: Camel Main finds the configuration, the Java routes and the YAML routes. */
public final class Application {

    private Application() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main(Application.class);
        System.exit(main.run(args));
    }
}
