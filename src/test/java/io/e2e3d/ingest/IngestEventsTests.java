package io.e2e3d.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e2e3d.storage.EmbeddedObjectStore;
import io.e2e3d.storage.ObjectStore;
import io.e2e3d.support.Database;
import io.e2e3d.support.RunningService;
import io.e2e3d.support.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * S3 event notifications as the second way into ingest: MinIO's webhook calls POST /api/ingest/events, and an
 * SQS queue (ElasticMQ in this JVM) carries AWS's notifications. The service lists no bucket here
 * (E2E3D_INGEST_LIST_BUCKET=false), so every object it records came by an event, unless a test runs the
 * watcher's own listing code itself. Run on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IngestEventsTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "events-test-key";
    private static final Duration GENEROUS = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    RunningService service;
    SQSRestServer sqsServer;
    SqsClient sqs;
    String queueUrl;

    abstract Database database();

    @BeforeAll
    void start() throws Exception {
        sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + sqsPort)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        // a short visibility timeout, so a message left undeleted comes back within the test
        queueUrl = sqs.createQueue(b -> b.queueName("e2e3d-input")
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2"))).queueUrl();

        Map<String, String> settings = RunningService.testSettings(Files.createTempDirectory("e2e3d-events"), database());
        settings.put("e2e3d.workers", "0");
        settings.put("e2e3d.api-key", API_KEY);
        settings.put("e2e3d.ingest.list-bucket", "false");
        settings.put("e2e3d.sqs.queue-url", queueUrl);
        settings.put("e2e3d.sqs.wait-seconds", "1");
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (sqsServer != null) {
            sqsServer.stopAndWait();
        }
    }

    // ------------------------------------------------------------------------------ MinIO webhook

    @Test
    void minioEventsForUploadedPhotosMakeOneJobWithThoseImagesAndRepeatsChangeNothing() throws Exception {
        List<String> keys = List.of("minio-set/view 0+a.png", "minio-set/view_1.png", "minio-set/view_2.png",
                "minio-set/view_3.png", "minio-set/view_4.png", "minio-set/_READY");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] bytes = keys.get(i).endsWith("_READY") ? new byte[0] : TestImages.textured(200, 150, 70 + i, "png");
            events.add(minioEvent("input", keys.get(i), put(keys.get(i), bytes), bytes.length));
        }
        for (int i = 0; i < events.size(); i++) {
            HttpResponse<String> answer = postEvent(events.get(i), API_KEY);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode report = RunningService.json(answer);
            assertEquals(keys.get(i), report.path("recorded").get(0).path("key").asText(), "the key is URL-decoded: " + report);
            assertEquals(keys.get(i).endsWith("_READY") ? "marker" : "image", report.path("recorded").get(0).path("kind").asText());
        }

        JsonNode job = awaitSingleJob("minio-set/");
        assertEquals(5, job.path("image_count").asInt());
        List<String> imageKeys = new ArrayList<>();
        service.getJson("/api/jobs/" + job.path("id").asText()).path("images").path("items")
                .forEach(image -> imageKeys.add(image.path("key").asText()));
        imageKeys.sort(null);
        assertEquals(keys.subList(0, 5).stream().sorted().toList(), imageKeys);

        for (String event : events) { // MinIO delivers again, e.g. replaying its queue_dir after an outage
            JsonNode report = RunningService.json(postEvent(event, API_KEY));
            assertEquals(0, report.path("recorded").size(), report.toString());
            assertEquals(1, report.path("duplicates").size(), report.toString());
        }
        for (String key : keys) {
            assertEquals(1, ledgerRows(key), key);
        }
        Thread.sleep(5_000); // past the quiet period and several seal passes
        assertEquals(1, jobsWithPrefix("minio-set/").size(), "repeated events make no second job");
    }

    @Test
    void anEventThenThePollerForTheSameObjectMakeOneRow() throws Exception {
        String key = "order-event-first/img.png";
        byte[] bytes = TestImages.textured(120, 90, 81, "png");
        String etag = put(key, bytes);
        assertEquals(1, RunningService.json(postEvent(minioEvent("input", key, etag, bytes.length), API_KEY)).path("recorded").size());
        assertEquals(0, pollPrefix("order-event-first/"), "the watcher finds nothing new");
        assertEquals(1, ledgerRows(key));
    }

    @Test
    void thePollerThenAnEventForTheSameObjectMakeOneRow() throws Exception {
        String key = "order-poll-first/img.png";
        byte[] bytes = TestImages.textured(120, 90, 82, "png");
        String etag = put(key, bytes);
        assertEquals(1, pollPrefix("order-poll-first/"));
        JsonNode report = RunningService.json(postEvent(minioEvent("input", key, etag, bytes.length), API_KEY));
        assertEquals(List.of(key), List.of(report.path("duplicates").get(0).asText()), report.toString());
        assertEquals(1, ledgerRows(key));
    }

    @Test
    void eventsNeedTheApiKeyAsMinioSendsIt() throws Exception {
        String event = minioEvent("input", "auth-set/img.png", "0123456789abcdef0123456789abcdef", 10);
        for (String key : new String[] {null, "wrong-key"}) {
            HttpResponse<String> answer = postEvent(event, key);
            assertEquals(401, answer.statusCode(), answer.body());
            assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
            assertTrue(RunningService.json(answer).path("error").asText().contains("API key"), answer.body());
        }
        assertEquals(0, ledgerRows("auth-set/img.png"));
        // MinIO probes its target with a HEAD request and counts any answer as "online"
        HttpResponse<Void> probe = HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/api/ingest/events")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertTrue(probe.statusCode() < 500, "HEAD answered " + probe.statusCode());
    }

    @Test
    void bodiesThatAreNoEventNotificationAre400Json() throws Exception {
        for (String body : new String[] {"", "not json", "[]", "42", "{}", "{\"Records\": 5}", "{\"Records\": {}}",
                "{\"Records\": []} {}", "{\"Type\": \"Notification\", \"Message\": \"not json\"}"}) {
            HttpResponse<String> answer = postEvent(body, API_KEY);
            assertEquals(400, answer.statusCode(), body + " -> " + answer.body());
            assertTrue(RunningService.json(answer).has("error"), answer.body());
        }
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/api/ingest/events")))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Records\": []}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, form.statusCode(), form.body());
        HttpResponse<String> empty = postEvent("{\"Records\": []}", API_KEY);
        assertEquals(200, empty.statusCode(), empty.body());
    }

    @Test
    void recordsThatCannotBeIngestedAreIgnoredWithTheirReasons() throws Exception {
        String okKey = "mixed-events/img.png";
        byte[] bytes = TestImages.textured(120, 90, 83, "png");
        String okEtag = put(okKey, bytes);
        ObjectNode notification = (ObjectNode) JSON.readTree(minioEvent("input", okKey, okEtag, bytes.length));
        JsonNode template = notification.path("Records").get(0);
        List<JsonNode> records = new ArrayList<>(List.of(template));
        records.add(record(template, "s3:ObjectRemoved:Delete", "input", "mixed-events/gone.png"));
        records.add(record(template, "s3:ObjectCreated:Put", "someone-elses-bucket", "mixed-events/img.png"));
        records.add(record(template, "s3:ObjectCreated:Put", "input", "mixed-events/../../etc/passwd.png"));
        records.add(record(template, "s3:ObjectCreated:Put", "input", "mixed-events/./img.png"));
        records.add(record(template, "s3:ObjectCreated:Put", "input", "/mixed-events/abs.png"));
        records.add(record(template, "s3:ObjectCreated:Copy", "input", "mixed-events/never-uploaded.png"));
        ((ObjectNode) records.get(records.size() - 1).path("s3").path("object")).remove(List.of("eTag", "size"));
        ObjectNode badKey = record(template, "s3:ObjectCreated:Put", "input", "x");
        ((ObjectNode) badKey.path("s3").path("object")).put("key", "mixed-events%2Fbad%zz.png");
        records.add(badKey);
        records.add(JSON.readTree("{\"eventName\": \"s3:ObjectCreated:Put\", \"s3\": {\"object\": 7}}"));
        records.add(JSON.readTree("\"not a record\""));
        notification.putArray("Records").addAll(records);

        HttpResponse<String> answer = postEvent(notification.toString(), API_KEY);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode report = RunningService.json(answer);
        assertEquals(1, report.path("recorded").size(), report.toString());
        Map<String, String> reasons = new LinkedHashMap<>();
        report.path("ignored").forEach(i -> reasons.put(i.path("key").asText(), i.path("reason").asText()));
        assertEquals(9, report.path("ignored").size(), report.toString());
        assertTrue(reasons.get("mixed-events/gone.png").contains("not an ObjectCreated event"), reasons.toString());
        assertTrue(reasons.get("mixed-events/../../etc/passwd.png").startsWith("unsafe key"), reasons.toString());
        assertTrue(reasons.get("mixed-events/./img.png").startsWith("unsafe key"), reasons.toString());
        assertTrue(reasons.get("/mixed-events/abs.png").startsWith("unsafe key"), reasons.toString());
        assertTrue(reasons.get("mixed-events/never-uploaded.png").contains("no longer exists"), reasons.toString());
        assertTrue(reasons.get("mixed-events%2Fbad%zz.png").contains("not URL-encoded"), reasons.toString());
        assertTrue(report.path("ignored").toString().contains("is not the watched bucket 'input'"), reasons.toString());
        assertTrue(report.path("ignored").toString().contains("malformed record"), reasons.toString());
        assertEquals(1, ledgerRows(okKey));
        assertEquals(0, ledgerRows("mixed-events/gone.png") + ledgerRows("mixed-events/never-uploaded.png"));
    }

    @Test
    void aRecordWithoutETagIsKeyedByTheObjectStoresETag() throws Exception {
        String key = "head-set/img.png";
        byte[] bytes = TestImages.textured(120, 90, 84, "png");
        String etag = put(key, bytes);
        ObjectNode notification = (ObjectNode) JSON.readTree(minioEvent("input", key, etag, bytes.length));
        ((ObjectNode) notification.path("Records").get(0).path("s3").path("object")).remove(List.of("eTag", "size"));
        assertEquals(1, RunningService.json(postEvent(notification.toString(), API_KEY)).path("recorded").size());
        assertEquals(0, pollPrefix("head-set/"), "the watcher sees the same (key, ETag)");
    }

    // ------------------------------------------------------------------------------ SQS (AWS)

    @Test
    void sqsMessagesAreRecordedThenDeletedAndBecomeOneJob() throws Exception {
        for (int i = 0; i < 5; i++) {
            String key = "sqs-set/photo " + i + ".png";
            byte[] bytes = TestImages.textured(200, 150, 90 + i, "png");
            send(awsEvent(key, put(key, bytes), bytes.length));
        }
        byte[] manifest = "{\"quality\": \"low\", \"dataset_type\": \"object\"}".getBytes(StandardCharsets.UTF_8);
        String manifestEvent = awsEvent("sqs-set/manifest.json", put("sqs-set/manifest.json", manifest), manifest.length);
        // SNS in between S3 and SQS wraps the event as a string
        send(JSON.createObjectNode().put("Type", "Notification").put("MessageId", "7a1f8c9e-1111-2222-3333-444455556666")
                .put("TopicArn", "arn:aws:sns:eu-west-1:123456789012:e2e3d-input").put("Message", manifestEvent).toString());
        send(resource("aws-s3-test-event.json"));
        send("this is no S3 event");

        JsonNode job = awaitSingleJob("sqs-set/");
        assertEquals(5, job.path("image_count").asInt());
        assertEquals("low", job.path("quality").asText(), "the manifest came wrapped by SNS");
        awaitQueueEmpty();
    }

    @Test
    void anSqsMessageStaysInTheQueueWhileTheObjectStoreIsDownAndIsRecordedAfter() throws Exception {
        byte[] manifest = "{\"quality\": \"high\"}".getBytes(StandardCharsets.UTF_8);
        String key = "sqs-outage/manifest.json";
        String event = awsEvent(key, put(key, manifest), manifest.length);
        EmbeddedObjectStore store = service.context().hasService(EmbeddedObjectStore.class);
        store.stop(); // reading the manifest now fails
        try {
            send(event);
            RunningService.await(GENEROUS, () -> queueAttribute(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 1,
                    "the consumer to receive the message");
            Thread.sleep(3_000); // the message was received, failed, and became visible again at least once
            assertEquals(0, ledgerRows(key));
            assertEquals(1, queueAttribute(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                    + queueAttribute(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), "not deleted");
        } finally {
            store.start();
        }
        RunningService.await(GENEROUS, () -> ledgerRows(key) == 1, "the message to be recorded once the store is back");
        awaitQueueEmpty();
        assertEquals("manifest", new JdbcTemplate(dataSource()).queryForObject(
                "SELECT kind FROM ingest_objects WHERE object_key = ?", String.class, key));
    }

    // ------------------------------------------------------------------------------ helpers

    private String put(String key, byte[] bytes) {
        return ObjectStore.unquote(service.s3().putObject(b -> b.bucket("input").key(key), RequestBody.fromBytes(bytes)).eTag());
    }

    /** The watcher's own code (list a page, keep what the ledger has not seen, record it) over one prefix. */
    private int pollPrefix(String prefix) {
        IngestLedger ledger = service.context().getRegistry().findSingleByType(IngestLedger.class);
        ObjectStore store = service.context().getRegistry().findSingleByType(ObjectStore.class);
        int[] recorded = {0};
        store.forEachPage("input", prefix, page -> ledger.unseen("input", page).forEach(o -> {
            if (ledger.record(o)) {
                recorded[0]++;
            }
        }));
        return recorded[0];
    }

    private static String minioEvent(String bucket, String key, String etag, long size) throws IOException {
        return fill(resource("minio-webhook-put.json"), bucket, key, etag, size);
    }

    private static String awsEvent(String key, String etag, long size) throws IOException {
        return fill(resource("aws-s3-put.json"), "input", key, etag, size);
    }

    private static String fill(String template, String bucket, String key, String etag, long size) {
        return template.replace("${BUCKET}", bucket)
                .replace("${DECODED_KEY}", key)
                .replace("${KEY}", URLEncoder.encode(key, StandardCharsets.UTF_8)) // S3 sends keys form-encoded
                .replace("${ETAG}", etag)
                .replace("${SIZE}", Long.toString(size));
    }

    private static ObjectNode record(JsonNode template, String eventName, String bucket, String key) {
        ObjectNode record = template.deepCopy();
        record.put("eventName", eventName);
        ((ObjectNode) record.path("s3").path("bucket")).put("name", bucket);
        ((ObjectNode) record.path("s3").path("object")).put("key", URLEncoder.encode(key, StandardCharsets.UTF_8));
        return record;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = IngestEventsTests.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<String> postEvent(String body, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url("/api/ingest/events")))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey); // what MinIO sends for auth_token=<key>
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void send(String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }

    private int queueAttribute(QueueAttributeName name) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(name)).attributes().get(name));
    }

    private void awaitQueueEmpty() throws InterruptedException {
        RunningService.await(GENEROUS, () -> queueAttribute(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0
                && queueAttribute(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 0, "the queue to be empty");
    }

    private DataSource dataSource() {
        return service.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    private int ledgerRows(String key) {
        Integer n = new JdbcTemplate(dataSource()).queryForObject(
                "SELECT COUNT(*) FROM ingest_objects WHERE bucket = 'input' AND object_key = ?", Integer.class, key);
        return n == null ? 0 : n;
    }

    private JsonNode awaitSingleJob(String prefix) throws Exception {
        return service.awaitSingleJob(prefix, GENEROUS);
    }

    private List<JsonNode> jobsWithPrefix(String prefix) throws Exception {
        return service.jobsWithPrefix(prefix);
    }
}
