package io.e2e3d.pipeline;

import io.e2e3d.job.Stage;
import io.e2e3d.retry.TransientFaultRetry;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The queue and the pipeline. Each worker is a timer route that claims one job at a time and runs it
 * through {@code job-pipeline}, which calls the seven stage routes in order; each stage route records its
 * start, does its work and records its end, every step with an id so its timer is named.
 */
public class PipelineRoutes extends RouteBuilder {

    @PropertyInject("e2e3d.workers")
    private int workers;

    @Override
    public void configure() {
        JobRunner runner = getContext().getRegistry().findSingleByType(JobRunner.class);
        StageRunner stages = getContext().getRegistry().findSingleByType(StageRunner.class);
        // a failing stage is the pipeline's business (doCatch below), not a delivery error to log; only transient
        // faults of the object store or the database are retried, by the routes' TransientFaultRetry configuration
        errorHandler(defaultErrorHandler().maximumRedeliveries(0).logExhausted(false));

        for (int i = 1; i <= workers; i++) {
            int worker = i;
            from("timer:worker-" + worker + "?period={{e2e3d.queue.poll-ms}}&delay=1000")
                    .routeId("worker-" + worker).routeConfigurationId(TransientFaultRetry.ID)
                    .process(e -> e.getMessage().setBody(runner.claim(worker))).id("claim-job-" + worker)
                    .filter(body().isNotNull()).id("has-job-" + worker)
                        .to("direct:job-pipeline").id("run-job-" + worker)
                    .end();
        }

        from("direct:job-pipeline").routeId("job-pipeline").routeConfigurationId(TransientFaultRetry.ID)
                .doTry().id("run-stages")
                    .to("direct:" + Stage.PREPROCESSING.routeId()).id("preprocessing")
                    .to("direct:" + Stage.FEATURE_EXTRACTION.routeId()).id("feature-extraction")
                    .to("direct:" + Stage.FEATURE_MATCHING.routeId()).id("feature-matching")
                    .to("direct:" + Stage.SPARSE_RECONSTRUCTION.routeId()).id("sparse-reconstruction")
                    .to("direct:" + Stage.DENSE_RECONSTRUCTION.routeId()).id("dense-reconstruction")
                    .to("direct:" + Stage.MESHING.routeId()).id("meshing")
                    .to("direct:" + Stage.TEXTURING.routeId()).id("texturing")
                    .to("direct:job-publish").id("publish-and-complete")
                .doCatch(Exception.class)
                    .process(e -> runner.fail(run(e), e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))).id("fail-job")
                .end();

        from("direct:job-publish").routeId("job-publish").routeConfigurationId(TransientFaultRetry.ID)
                .process(e -> runner.complete(run(e))).id("publish-results");

        for (Stage stage : Stage.values()) {
            String step = stage.routeId().substring("stage-".length());
            from("direct:" + stage.routeId()).routeId(stage.routeId()).routeConfigurationId(TransientFaultRetry.ID)
                    .filter(e -> stages.pending(run(e), stage)).id(step + "-pending")
                        .process(e -> stages.begin(run(e), stage)).id(step + "-begin")
                        .process(e -> stages.execute(run(e), stage)).id(step + "-execute")
                        .process(e -> stages.finish(run(e), stage)).id(step + "-finish")
                    .end();
        }
    }

    private static JobRun run(Exchange exchange) {
        return exchange.getMessage().getBody(JobRun.class);
    }
}
