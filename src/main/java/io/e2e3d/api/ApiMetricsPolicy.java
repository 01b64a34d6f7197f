package io.e2e3d.api;

import io.e2e3d.metrics.FlowMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/** Counts and times each API request by method, route template and HTTP status (api_requests_total, ...). */
class ApiMetricsPolicy extends RoutePolicySupport {

    private static final String START = "e2e3d.api.start";

    private final FlowMetrics metrics;
    private final String method;
    private final String endpoint;

    ApiMetricsPolicy(FlowMetrics metrics, String method, String endpoint) {
        this.metrics = metrics;
        this.method = method;
        this.endpoint = endpoint;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        exchange.setProperty(START, System.nanoTime());
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Long start = exchange.getProperty(START, Long.class);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int code = status != null ? status : exchange.isFailed() ? 500 : 200;
        metrics.apiRequest(method, endpoint, code, start == null ? 0 : System.nanoTime() - start);
    }
}
