package io.e2e3d.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * JSON bodies for the errors Vert.x answers before any route runs: a body over the size limit (413), a path
 * no route serves (404), a method a path does not take (405). Vert.x's own answers are bare text or HTML.
 * Camel exposes only its sub-router, whose error handlers Vert.x never calls, so failures get a failure
 * handler and unmatched requests a last route.
 */
public final class HttpErrorBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpErrorBodies() {
    }

    /** Installs the handlers on the platform-http router, after the console's assets. */
    public static void install(Router router) {
        router.route().failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                answer(ctx, 413, "the request body is larger than the limit (E2E3D_MAX_UPLOAD_BYTES)");
            } else {
                ctx.next();
            }
        });
        router.route().last().handler(ctx -> {
            if (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD) {
                ctx.next(); // the web console (ConsoleAssets) answers every other GET, with a JSON 404 when it has no such file
            } else if (otherMethodServes(router, ctx)) {
                answer(ctx, 405, ctx.request().method() + " is not allowed on " + ctx.normalizedPath());
            } else {
                answer(ctx, 404, "no such resource: " + ctx.normalizedPath());
            }
        });
    }

    private static boolean otherMethodServes(Router router, RoutingContext ctx) {
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || route.methods() == null || route.methods().contains(ctx.request().method())) {
                continue;
            }
            String pattern = path.replaceAll(":[^/]+", "[^/]+").replaceAll("\\*$", ".*");
            if (ctx.normalizedPath().matches(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static void answer(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(Map.of("error", message))));
        } catch (Exception e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
