package io.e2e3d.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the console's files from the classpath folder {@code web/} (inside the jar) on the platform-http
 * router, after every other route: {@code /} is index.html, a known file gets its content type, an ETag and a
 * Cache-Control header, anything else a JSON 404. Only the classpath is read, never the working directory,
 * and a path is served only when each of its segments is a plain file name (no dot segments, no hidden files).
 */
public final class ConsoleAssets {

    private static final String ROOT = "web";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");
    /** Vendored libraries change only with a new release of the service; the page's own files are revalidated. */
    private static final String VENDOR_CACHE = "public, max-age=86400";
    private static final String PAGE_CACHE = "no-cache";

    private final ClassLoader classLoader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    ConsoleAssets(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Serves the assets on {@code router} after every other route (GET and HEAD only). */
    public static void mount(Router router) {
        ConsoleAssets assets = new ConsoleAssets(ConsoleAssets.class.getClassLoader());
        // the highest order: the API, /observe and every other route are matched first
        router.route().order(Integer.MAX_VALUE).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(assets::handle);
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Optional<Asset> asset = resolve(path.equals("/") ? "/index.html" : path);
        if (asset.isEmpty()) {
            ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error\": \"no such page or file\"}");
            return;
        }
        Asset a = asset.get();
        ctx.response().putHeader(HttpHeaders.ETAG, a.etag()).putHeader(HttpHeaders.CACHE_CONTROL, a.cacheControl())
                .putHeader("X-Content-Type-Options", "nosniff");
        if (a.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, a.contentType());
        if (a.contentType().startsWith("text/html")) {
            ctx.response().putHeader("X-Frame-Options", "DENY"); // the page has a cancel button: no framing
        }
        ctx.response().end(a.body());
    }

    /** The asset at a request path, when the path is well formed and names a file of a known type under web/. */
    Optional<Asset> resolve(String path) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            return Optional.empty();
        }
        String[] segments = path.substring(1).split("/");
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                return Optional.empty();
            }
        }
        String name = segments[segments.length - 1];
        String type = name.contains(".") ? TYPES.get(name.substring(name.lastIndexOf('.') + 1)) : null;
        if (type == null) {
            return Optional.empty();
        }
        String resource = ROOT + path;
        Asset cached = cache.get(resource);
        if (cached != null) {
            return Optional.of(cached);
        }
        // only found files are cached, so requests for made-up paths cannot grow the cache
        return load(resource, type, path.startsWith("/vendor/") ? VENDOR_CACHE : PAGE_CACHE)
                .map(asset -> cache.computeIfAbsent(resource, r -> asset));
    }

    private Optional<Asset> load(String resource, String type, String cacheControl) {
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
            return Optional.of(new Asset(Buffer.buffer(bytes), type, etag, cacheControl));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record Asset(Buffer body, String contentType, String etag, String cacheControl) {
    }
}
