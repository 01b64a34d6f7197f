package io.e2e3d.retry;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The retry policy of the routes that work in the background (ingest, queue workers, stages): a step that
 * hits a transient fault of the object store or the database is tried again with exponential backoff
 * (e2e3d.retry.*); other errors are not retried. Routes opt in with routeConfigurationId {@value #ID}; the
 * API does not, because a client should get its 503 at once.
 */
public class TransientFaultRetry extends RouteConfigurationBuilder {

    public static final String ID = "retry-transient-faults";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).id("retry-on-transient-fault")
                    .onWhen(exchange -> TransientFault.is(exchange.getException()))
                    .maximumRedeliveries("{{e2e3d.retry.attempts}}")
                    .redeliveryDelay("{{e2e3d.retry.delay-ms}}")
                    .useExponentialBackOff().backOffMultiplier(2).useCollisionAvoidance()
                    .maximumRedeliveryDelay("{{e2e3d.retry.max-delay-ms}}")
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logStackTrace(false).logRetryStackTrace(false)
                .end();
    }
}
