package io.e2e3d.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.console.ConsoleSettings;
import io.e2e3d.metrics.FlowMetrics;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.dao.DataAccessException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The REST API under /api (platform-http on Vert.x). Each operation is a route named api-..., and every
 * answer, errors included, is JSON: a 4xx {"error": ...} for a bad request, 503 while a dependency is down.
 */
public class ApiRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        JobsApi jobs = getContext().getRegistry().findSingleByType(JobsApi.class);
        HealthApi health = getContext().getRegistry().findSingleByType(HealthApi.class);
        ConsoleSettings console = getContext().getRegistry().findSingleByType(ConsoleSettings.class);
        FlowMetrics metrics = getContext().getRegistry().findSingleByType(FlowMetrics.class);
        ApiKeyCheck apiKey = new ApiKeyCheck(getContext().getRegistry().lookupByNameAndType("apiKey", String.class));

        onException(ApiException.class).id("api-on-client-error").handled(true)
                .process(e -> error(e, e.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class).status(),
                        e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage())).id("api-error-client");
        onException(DataAccessException.class).id("api-on-database-error").handled(true)
                .process(e -> error(e, 503, "the database is unavailable; try again shortly")).id("api-error-database");
        onException(SdkException.class).id("api-on-storage-error").handled(true)
                .process(e -> error(e, 503, "the object store is unavailable; try again shortly")).id("api-error-storage");
        onException(Exception.class).id("api-on-unexpected-error").handled(true)
                .log(org.apache.camel.LoggingLevel.ERROR, "Unexpected API error: ${exception.stacktrace}").id("api-error-log")
                .process(e -> error(e, 500, "internal error")).id("api-error-internal");

        rest("/jobs").description("Reconstruction jobs")
                .post().id("rest-jobs-create").to("direct:api-jobs-create")
                .get().id("rest-jobs-list").to("direct:api-jobs-list")
                .get("/{id}").id("rest-jobs-get").to("direct:api-jobs-get")
                .post("/{id}/cancel").id("rest-jobs-cancel").to("direct:api-jobs-cancel")
                .get("/{id}/results").id("rest-jobs-results").to("direct:api-jobs-results");
        rest("/health").get().id("rest-health").to("direct:api-health");
        rest("/console").get().id("rest-console").to("direct:api-console");

        api(metrics, "api-jobs-create", "POST", "/api/jobs", e -> {
            apiKey.check(e);
            return jobs.create(e);
        });
        api(metrics, "api-jobs-list", "GET", "/api/jobs", jobs::list);
        api(metrics, "api-jobs-get", "GET", "/api/jobs/{id}", jobs::get);
        api(metrics, "api-jobs-cancel", "POST", "/api/jobs/{id}/cancel", e -> {
            apiKey.check(e);
            return jobs.cancel(e);
        });
        api(metrics, "api-jobs-results", "GET", "/api/jobs/{id}/results", jobs::results);
        api(metrics, "api-health", "GET", "/api/health", health::health);
        api(metrics, "api-console", "GET", "/api/console", console::describe);
    }

    private interface Handler {
        Object handle(Exchange exchange) throws Exception;
    }

    private void api(FlowMetrics metrics, String routeId, String method, String template, Handler handler) {
        from("direct:" + routeId).routeId(routeId)
                .routePolicy(new ApiMetricsPolicy(metrics, method, template))
                .process(e -> respond(e, handler.handle(e))).id(routeId.substring(4) + "-handle");
    }

    private static void respond(Exchange exchange, Object body) throws Exception {
        exchange.getMessage().removeHeaders("*", Exchange.HTTP_RESPONSE_CODE, "Location");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsBytes(body));
    }

    private static void error(Exchange exchange, int status, String message) throws Exception {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsBytes(Map.of("error", message == null ? "error" : message)));
    }
}
