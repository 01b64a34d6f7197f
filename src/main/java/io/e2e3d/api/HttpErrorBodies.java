package io.e2e3d.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * JSON bodies for the errors Vert.x answers before any route runs: a body over the size limit (413), a path
 * no route serves (404), a method a path does not take (405). Vert.x's own answers are bare text or HTML.
 */
public final class HttpErrorBodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> MESSAGES = Map.of(
            413, "the request body is larger than the limit (E2E3D_MAX_UPLOAD_BYTES)",
            404, "no such resource",
            405, "method not allowed on this resource");

    private HttpErrorBodies() {
    }

    /** Installs the handlers on the platform-http router; call once the HTTP server has started. */
    public static void install(CamelContext context) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context);
        if (router == null) {
            throw new IllegalStateException("no platform-http router: camel.server.enabled must be true");
        }
        MESSAGES.forEach((status, message) -> router.errorHandler(status, ctx -> answer(ctx, status, message)));
    }

    private static void answer(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(io.vertx.core.buffer.Buffer.buffer(JSON.writeValueAsBytes(Map.of("error", message))));
        } catch (Exception e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
