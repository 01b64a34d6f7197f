package io.e2e3d;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.e2e3d.api.HealthApi;
import io.e2e3d.api.HttpErrorBodies;
import io.e2e3d.api.IngestEventsApi;
import io.e2e3d.api.JobsApi;
import io.e2e3d.console.ConsoleAssets;
import io.e2e3d.console.ConsoleSettings;
import io.e2e3d.engine.Engines;
import io.e2e3d.engine.boofcv.BoofcvEngine;
import io.e2e3d.engine.colmap.ColmapEngine;
import io.e2e3d.health.Component;
import io.e2e3d.health.ComponentChecks;
import io.e2e3d.health.ComponentHealthCheck;
import io.e2e3d.ingest.BucketWatcher;
import io.e2e3d.ingest.EventIngest;
import io.e2e3d.ingest.IngestLedger;
import io.e2e3d.ingest.SqsQueue;
import io.e2e3d.job.JobRepository;
import io.e2e3d.metrics.FlowMetrics;
import io.e2e3d.metrics.MetricsServer;
import io.e2e3d.metrics.StepTimers;
import io.e2e3d.metrics.StorageUsage;
import io.e2e3d.pipeline.JobRunner;
import io.e2e3d.pipeline.Preprocessor;
import io.e2e3d.pipeline.ResultFiles;
import io.e2e3d.pipeline.ResultPublisher;
import io.e2e3d.pipeline.StageRunner;
import io.e2e3d.storage.EmbeddedObjectStore;
import io.e2e3d.storage.ObjectStore;
import io.e2e3d.tracing.Tracing;
import io.e2e3d.webhook.WebhookDeliveries;
import io.e2e3d.webhook.WebhookOutbox;
import io.e2e3d.webhook.WebhookPayload;
import io.e2e3d.webhook.WebhookSender;
import io.e2e3d.webhook.WebhookSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root: reads the settings, starts the embedded object store and database when no
 * external ones are configured, migrates the schema, and binds every bean the routes use.
 */
@Configuration
public class ServiceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.load(context);
        settings.requireKeyInExternalMode();
        Registry registry = context.getRegistry();
        String instanceId = settings.instanceId().isBlank()
                ? InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid()
                : settings.instanceId();

        PrometheusMeterRegistry meters = meterRegistry(registry);
        context.getCamelContextExtension().addInterceptStrategy(new StepTimers(meters));
        FlowMetrics metrics = new FlowMetrics(meters);
        registry.bind("flowMetrics", metrics);
        if (context.getPropertiesComponent().resolveProperty("e2e3d.metrics.enabled").map(Boolean::parseBoolean).orElse(true)) {
            int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("e2e3d.metrics.port").orElse("9101"));
            context.addService(new MetricsServer(meters, port), true, true);
        }

        Tracing.enable(context, context.getPropertiesComponent().resolveProperty("e2e3d.tracing.otlp-endpoint").orElse(""),
                context.getName());

        ObjectStore store = objectStore(context, settings);
        registry.bind("objectStore", store);
        registry.bind("s3Client", store.client());

        HikariDataSource dataSource = dataSource(settings);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        }, true, false);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        registry.bind("dataSource", dataSource);

        JobRepository jobs = new JobRepository(dataSource);
        registry.bind("jobRepository", jobs);
        IngestLedger ledger = new IngestLedger(jobs, store, metrics, settings.defaultEngine(), settings.outputBucket(),
                settings.maxImageBytes());
        registry.bind("ingestLedger", ledger);
        boolean listBucket = context.getPropertiesComponent().resolveProperty("e2e3d.ingest.list-bucket")
                .map(v -> Boolean.parseBoolean(v.trim())).orElse(true);
        registry.bind("bucketWatcher", new BucketWatcher(store, ledger, settings.inputBucket(), listBucket));
        EventIngest eventIngest = new EventIngest(ledger, store, metrics, settings.inputBucket());
        registry.bind("eventIngest", eventIngest);
        registry.bind("ingestEventsApi", new IngestEventsApi(eventIngest));
        String queueUrl = context.getPropertiesComponent().resolveProperty("e2e3d.sqs.queue-url").orElse("").trim();
        String eventSources = "S3 events at POST /api/ingest/events";
        if (!queueUrl.isEmpty()) {
            SqsQueue queue = SqsQueue.of(queueUrl);
            eventSources += " and from SQS queue " + queue.name();
            SqsClient sqs = queue.client(settings.s3Region(), StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.s3AccessKey(), settings.s3SecretKey())));
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    sqs.close();
                }
            }, true, false);
            registry.bind("sqsQueue", queue);
            registry.bind("sqsClient", sqs);
        }
        LOG.info("Ingest: {}, {}", listBucket ? "listing s3://" + settings.inputBucket() + " every poll" : "no bucket listing",
                eventSources);

        String colmapBinary = context.getPropertiesComponent().resolveProperty("e2e3d.colmap.bin").orElse("").trim();
        BoofcvEngine boofcv = new BoofcvEngine(BoofcvEngine.Settings.defaults().withThreads(engineThreads(context, settings)));
        Engines engines = new Engines(boofcv, new ColmapEngine(ColmapEngine.Settings.defaults()
                .withBinary(colmapBinary.isEmpty() ? "colmap" : colmapBinary), boofcv));
        registry.bind("engines", engines);
        Preprocessor preprocessor = new Preprocessor(store, jobs, settings.minImages(), settings.minImageSide());
        StageRunner stages = new StageRunner(jobs, preprocessor, engines, metrics);
        registry.bind("stageRunner", stages);
        ScheduledExecutorService heartbeats = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "heartbeat");
        JobRunner runner = new JobRunner(jobs, stages, new ResultPublisher(store, jobs), metrics, settings.workDir(),
                instanceId, settings.heartbeatSeconds(), settings.maxAttempts(), Duration.ofSeconds(settings.jobTimeoutSeconds()),
                heartbeats);
        registry.bind("jobRunner", runner);
        // on SIGTERM: stop at the next step boundary and hand the running jobs back to the queue
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    runner.releaseAll();
                }
            }
        });

        // the reconstruction check covers the default engine, and COLMAP too when it is configured or the default
        List<String> requiredEngines = new ArrayList<>(List.of(settings.defaultEngine()));
        if (!colmapBinary.isEmpty() && !requiredEngines.contains("colmap")) {
            requiredEngines.add("colmap");
        }
        ComponentChecks checks = new ComponentChecks(jobs, store, engines, metrics, requiredEngines,
                settings.heartbeatSeconds() * 3, settings.inputBucket(), settings.outputBucket());
        registry.bind("componentChecks", checks);
        registry.bind("storageUsage", new StorageUsage(store, metrics, settings.inputBucket(), settings.outputBucket()));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        for (Component component : Component.values()) {
            health.register(new ComponentHealthCheck(component, checks));
        }

        WebhookSettings webhookSettings = WebhookSettings.load(context.getPropertiesComponent());
        registry.bind("webhookDeliveries", new WebhookDeliveries(new WebhookOutbox(dataSource),
                new WebhookPayload(jobs, new ResultFiles(store)), new WebhookSender(webhookSettings), webhookSettings, metrics));

        registry.bind("jobsApi", new JobsApi(jobs, ledger, store, metrics, settings.inputBucket(), settings.outputBucket(),
                settings.defaultEngine(), settings.maxImagesPerJob()));
        registry.bind("apiKey", settings.apiKey());
        registry.bind("healthApi", new HealthApi(checks));
        registry.bind("consoleSettings", ConsoleSettings.load(context, !settings.apiKey().isBlank()));
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            // the HTTP server's router exists only once Camel has fully started; the console's assets and the JSON
            // error answers come after every route, the error answers last
            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(ctx,
                        VertxPlatformHttpRouter.getRouterNameFromPort(settings.httpPort()));
                if (router == null) {
                    throw new IllegalStateException("no platform-http router: camel.server.enabled must be true");
                }
                ConsoleAssets.mount(router);
                HttpErrorBodies.install(router);
                LOG.info("Web console at http://localhost:{}/", settings.httpPort());
            }
        });
        LOG.info("E2E3D Flow instance {}: object store {}, database {}, {} worker(s), engine {}", instanceId,
                settings.embeddedObjectStore() ? "embedded" : settings.s3Endpoint(),
                settings.embeddedDatabase() ? "embedded H2 under " + settings.dataDir().resolve("db") : "external",
                settings.workers(), settings.defaultEngine());
    }

    /**
     * Worker threads of one reconstruction stage: e2e3d.engine-threads when set, else the cores shared out among
     * the jobs this instance runs at once (at least one each), so that parallel jobs do not oversubscribe the CPU.
     */
    static int engineThreads(CamelContext context, Settings settings) {
        String value = context.getPropertiesComponent().resolveProperty("e2e3d.engine-threads").orElse("0").trim();
        int configured;
        try {
            configured = Integer.parseInt(value.isEmpty() ? "0" : value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting e2e3d.engine-threads must be a whole number, got '" + value + "'");
        }
        if (configured > 0) return configured;
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, settings.workers()));
    }

    /**
     * One registry for Camel's meters and ours (camel-micrometer-prometheus creates it before this runs, when
     * camel.metrics.enabled), plus the Prometheus client's process_* series under the names the seed uses.
     */
    private static PrometheusMeterRegistry meterRegistry(Registry registry) {
        PrometheusMeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                PrometheusMeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        ProcessMetrics.builder().register(meters.getPrometheusRegistry());
        return meters;
    }

    private static ObjectStore objectStore(CamelContext context, Settings settings) throws Exception {
        URI endpoint;
        if (settings.embeddedObjectStore()) {
            EmbeddedObjectStore embedded = new EmbeddedObjectStore(settings.dataDir().resolve("s3"), settings.s3EmbeddedPort(),
                    settings.s3AccessKey(), settings.s3SecretKey());
            embedded.start();
            context.addService(embedded, true, false);
            endpoint = embedded.endpoint();
        } else {
            endpoint = URI.create(settings.s3Endpoint());
        }
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.s3AccessKey(), settings.s3SecretKey()));
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        S3Client client = S3Client.builder().endpointOverride(endpoint).region(Region.of(settings.s3Region()))
                .credentialsProvider(credentials).serviceConfiguration(pathStyle).build();
        // presigned links carry their host: the one users reach, which inside a container network may differ
        URI publicEndpoint = settings.s3PublicEndpoint().isBlank() ? endpoint : URI.create(settings.s3PublicEndpoint());
        S3Presigner presigner = S3Presigner.builder().endpointOverride(publicEndpoint).region(Region.of(settings.s3Region()))
                .credentialsProvider(credentials).serviceConfiguration(pathStyle).build();
        ObjectStore store = new ObjectStore(client, presigner, Duration.ofMinutes(settings.presignMinutes()),
                settings.embeddedObjectStore());
        try {
            store.ensureBucket(settings.inputBucket());
            store.ensureBucket(settings.outputBucket());
        } catch (RuntimeException e) {
            LOG.warn("Object store at {} not reachable at start ({}); ingest retries on every poll", endpoint, e.getMessage());
        }
        return store;
    }

    private static HikariDataSource dataSource(Settings settings) {
        HikariConfig config = new HikariConfig();
        if (settings.embeddedDatabase()) {
            // WRITE_DELAY=0: a commit reaches the file at once; H2's default half-second delay lost the last
            // commits when the process was killed (kill -9), and a finished stage was done again
            config.setJdbcUrl("jdbc:h2:file:" + settings.dataDir().resolve("db").resolve("e2e3d")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
            config.setUsername("sa");
        } else {
            config.setJdbcUrl(settings.dbUrl());
            config.setUsername(settings.dbUser());
            config.setPassword(settings.dbPassword());
            if (settings.dbUrl().startsWith("jdbc:postgresql:")) {
                // a link that goes silent must fail the call, not hang it: no statement here runs for minutes
                config.addDataSourceProperty("socketTimeout", "120");
                config.addDataSourceProperty("connectTimeout", "10");
            }
        }
        config.setMaximumPoolSize(settings.dbPoolSize());
        config.setConnectionTimeout(settings.dbConnectionTimeoutMs());
        config.setPoolName("e2e3d");
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
