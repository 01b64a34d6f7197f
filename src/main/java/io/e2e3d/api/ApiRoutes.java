package io.e2e3d.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.console.ConsoleSettings;
import io.e2e3d.metrics.FlowMetrics;
import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The REST API under /api (platform-http on Vert.x). Each operation is a route named api-..., and every
 * answer, errors included, is JSON: a 4xx {"error": ...} for a bad request, 503 while a dependency is down.
 */
public class ApiRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);

    @Override
    public void configure() {
        JobsApi jobs = getContext().getRegistry().findSingleByType(JobsApi.class);
        HealthApi health = getContext().getRegistry().findSingleByType(HealthApi.class);
        IngestEventsApi events = getContext().getRegistry().findSingleByType(IngestEventsApi.class);
        ConsoleSettings console = getContext().getRegistry().findSingleByType(ConsoleSettings.class);
        FlowMetrics metrics = getContext().getRegistry().findSingleByType(FlowMetrics.class);
        ApiKeyCheck apiKey = new ApiKeyCheck(getContext().getRegistry().lookupByNameAndType("apiKey", String.class));

        // one clause that classifies the whole cause chain: Camel matches clauses against the innermost cause
        // first, so a separate catch-all took a database fault whose root is an IOException for a bug (500)
        onException(Exception.class).id("api-on-error").handled(true)
                .process(ApiRoutes::answerError).id("api-error");

        rest("/jobs").description("Reconstruction jobs")
                .post().id("rest-jobs-create").to("direct:api-jobs-create")
                .get().id("rest-jobs-list").to("direct:api-jobs-list")
                .get("/{id}").id("rest-jobs-get").to("direct:api-jobs-get")
                .post("/{id}/cancel").id("rest-jobs-cancel").to("direct:api-jobs-cancel")
                .get("/{id}/results").id("rest-jobs-results").to("direct:api-jobs-results");
        rest("/health").get().id("rest-health").to("direct:api-health");
        rest("/ingest").description("S3 event notifications (MinIO webhook target)")
                .post("/events").id("rest-ingest-events").to("direct:api-ingest-events");
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
        api(metrics, "api-ingest-events", "POST", "/api/ingest/events", e -> {
            apiKey.check(e);
            return events.receive(e);
        });
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

    private static void answerError(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        for (Throwable t = caught; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api) {
                error(exchange, api.status(), api.getMessage());
                return;
            }
            if (t instanceof DataAccessException || t instanceof TransactionException || t instanceof SQLException) {
                error(exchange, 503, "the database is unavailable; try again shortly");
                return;
            }
            if (t instanceof SdkException) {
                error(exchange, 503, "the object store is unavailable; try again shortly");
                return;
            }
        }
        LOG.error("Unexpected API error", caught);
        error(exchange, 500, "internal error");
    }

    private static void error(Exchange exchange, int status, String message) throws Exception {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsBytes(Map.of("error", message == null ? "error" : message)));
    }
}
