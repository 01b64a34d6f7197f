package io.e2e3d.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2e3d.ingest.ImageSignature;
import io.e2e3d.ingest.IngestLedger;
import io.e2e3d.ingest.ObjectKind;
import io.e2e3d.ingest.SeenObject;
import io.e2e3d.job.Job;
import io.e2e3d.job.JobIds;
import io.e2e3d.job.JobImage;
import io.e2e3d.job.JobOptions;
import io.e2e3d.job.JobRepository;
import io.e2e3d.job.JobStatus;
import io.e2e3d.job.NewJob;
import io.e2e3d.metrics.FlowMetrics;
import io.e2e3d.pipeline.ResultFiles;
import io.e2e3d.storage.ObjectStore;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jakarta.activation.DataHandler;
import io.vertx.core.MultiMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.CamelFileDataSource;
import org.springframework.dao.DuplicateKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the /api/jobs routes do: create (from a prefix or an upload), list, get, cancel, results. */
public class JobsApi {

    private static final Set<String> CREATE_FIELDS = Set.of("prefix", "bucket", "dataset_type", "quality", "engine",
            "notify_url", "job_id");
    private static final Set<String> UPLOAD_FIELDS = Set.of("dataset_type", "quality", "engine", "notify_url", "job_id");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JobRepository jobs;
    private final IngestLedger ledger;
    private final ObjectStore store;
    private final FlowMetrics metrics;
    private final String inputBucket;
    private final String outputBucket;
    private final String defaultEngine;
    private final int maxImagesPerJob;
    private final ResultFiles resultFiles;

    public JobsApi(JobRepository jobs, IngestLedger ledger, ObjectStore store, FlowMetrics metrics, String inputBucket,
            String outputBucket, String defaultEngine, int maxImagesPerJob) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.store = store;
        this.metrics = metrics;
        this.inputBucket = inputBucket;
        this.outputBucket = outputBucket;
        this.defaultEngine = defaultEngine;
        this.maxImagesPerJob = maxImagesPerJob;
        this.resultFiles = new ResultFiles(store);
    }

    /** POST /api/jobs: JSON {prefix, ...} for images already in S3, or multipart/form-data with the images. */
    public Object create(Exchange exchange) throws IOException {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        Job job;
        if (contentType.startsWith("multipart/form-data")) {
            job = createFromUpload(exchange);
        } else if (contentType.startsWith("application/json") || contentType.isEmpty()) {
            job = createFromPrefix(exchange.getMessage().getBody(byte[].class));
        } else {
            throw new ApiException(415, "send application/json {\"prefix\": ...} or multipart/form-data with image files");
        }
        metrics.jobCreated();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setHeader("Location", "/api/jobs/" + job.id());
        return JobView.summary(job);
    }

    private Job createFromPrefix(byte[] body) {
        Map<String, String> fields = jsonFields(body);
        if (!fields.containsKey("prefix")) {
            throw ApiException.badRequest("prefix is required: the dataset folder in the bucket, for example \"scan-01\"");
        }
        String bucket = Keys.bucket(fields.getOrDefault("bucket", inputBucket));
        String prefix = Keys.prefix(fields.get("prefix"));
        JobOptions options = options(fields);
        String jobId = jobId(fields.get("job_id"));
        List<JobImage> images = new ArrayList<>();
        try {
            store.forEachPage(bucket, prefix + "/", page -> {
                for (S3Object o : page) {
                    SeenObject seen = SeenObject.classify(bucket, o.key(), ObjectStore.unquote(o.eTag()), o.size())
                            .limitedTo(ledger.maxImageBytes());
                    if (seen.kind() == ObjectKind.IMAGE) {
                        images.add(JobImage.accepted(o.key(), seen.etag(), o.size()));
                    } else if (seen.kind() == ObjectKind.REJECTED) {
                        images.add(JobImage.rejected(o.key(), seen.etag(), o.size(), seen.reason()));
                    }
                }
            });
        } catch (NoSuchBucketException e) {
            throw ApiException.notFound("bucket '" + bucket + "' does not exist");
        }
        if (images.stream().noneMatch(JobImage::accepted)) {
            throw ApiException.notFound("no images under s3://" + bucket + "/" + prefix + "/ (accepted types: "
                    + String.join(", ", new TreeSet<>(ObjectKind.IMAGE_EXTENSIONS)) + ")");
        }
        if (images.size() > maxImagesPerJob) {
            throw ApiException.badRequest(images.size() + " objects under the prefix; at most " + maxImagesPerJob + " per job");
        }
        NewJob job = new NewJob(jobId, options, "api", bucket, prefix + "/", images);
        return insert(job, bucket.equals(inputBucket) ? prefix.split("/")[0] : null);
    }

    private Job createFromUpload(Exchange exchange) throws IOException {
        Map<String, String> fields = formFields(exchange);
        JobOptions options = options(fields);
        String jobId = jobId(fields.get("job_id"));
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        Map<String, DataHandler> files = message.hasAttachments() ? message.getAttachments() : Map.of();
        Integer sent = exchange.getMessage().getHeader(Exchange.ATTACHMENTS_SIZE, Integer.class);
        if (files.isEmpty()) {
            throw ApiException.badRequest("no image files in the upload: send each photo as a multipart file part");
        }
        if (sent != null && sent > files.size()) {
            throw ApiException.badRequest(sent + " files were sent but only " + files.size()
                    + " distinct form field names: give each file its own field name (file1, file2, ...)");
        }
        if (files.size() > maxImagesPerJob) {
            throw ApiException.badRequest(files.size() + " files; at most " + maxImagesPerJob + " per job");
        }
        Map<String, File> byName = new LinkedHashMap<>();
        for (DataHandler handler : files.values()) {
            String name = Keys.fileName(handler.getName());
            if (!ObjectKind.isImageName(name)) {
                throw new ApiException(415, "'" + Keys.printable(name) + "' is not an image: accepted types are "
                        + String.join(", ", new TreeSet<>(ObjectKind.IMAGE_EXTENSIONS)));
            }
            File file = ((CamelFileDataSource) handler.getDataSource()).getFile();
            if (!ImageSignature.matches(file.toPath())) {
                throw new ApiException(415, "'" + Keys.printable(name) + "' is not an image: its content is no JPEG, PNG,"
                        + " TIFF or BMP, whatever its name says");
            }
            long size = file.length();
            if (size > ledger.maxImageBytes()) {
                throw new ApiException(413, "'" + Keys.printable(name) + "' is " + size + " bytes; at most "
                        + ledger.maxImageBytes() + " per image (E2E3D_MAX_IMAGE_BYTES)");
            }
            if (byName.containsKey(name)) {
                throw ApiException.badRequest("two files are named '" + Keys.printable(name) + "': file names must be unique");
            }
            byName.put(name, file);
        }
        // Claim the folder first, so the bucket watcher attributes the uploaded objects to this job.
        reserve(jobId);
        List<JobImage> images = new ArrayList<>();
        for (Map.Entry<String, File> file : byName.entrySet()) {
            String key = jobId + "/" + file.getKey();
            long size = file.getValue().length();
            String etag = store.upload(inputBucket, key, file.getValue().toPath(), "application/octet-stream");
            images.add(size == 0 ? JobImage.rejected(key, etag, size, "empty file (0 bytes)") : JobImage.accepted(key, etag, size));
        }
        images.sort((a, b) -> a.key().compareTo(b.key()));
        return insert(new NewJob(jobId, options, "api", inputBucket, jobId + "/", images), null);
    }

    private void reserve(String jobId) {
        jobs.transactions().executeWithoutResult(tx -> {
            if (jobs.find(jobId).isPresent()) {
                throw ApiException.conflict("job '" + jobId + "' already exists");
            }
            // a folder reserved without a job is an upload that failed midway (the store went down): its retry
            // with the same job_id takes the folder over
            if (!ledger.reservedByApi(inputBucket, jobId)) {
                ledger.reserveForApi(inputBucket, jobId, jobId);
            }
        });
    }

    /** Inserts the job; for a folder of the watched bucket, reserves it in the same transaction. */
    private Job insert(NewJob job, String watchedDataset) {
        try {
            jobs.transactions().executeWithoutResult(tx -> {
                if (watchedDataset != null) {
                    ledger.reserveForApi(inputBucket, watchedDataset, job.id());
                }
                jobs.insertInCurrentTransaction(job, outputBucket);
            });
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("job '" + job.id() + "' already exists");
        }
        return jobs.find(job.id()).orElseThrow();
    }

    /** GET /api/jobs?status=&limit=&offset= */
    public Object list(Exchange exchange) {
        String statusParam = exchange.getMessage().getHeader("status", String.class);
        JobStatus status = null;
        if (statusParam != null && !statusParam.isBlank()) {
            try {
                status = JobStatus.fromLabel(statusParam.trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("status must be one of queued, running, completed, failed, canceled");
            }
        }
        int limit = intParam(exchange, "limit", 50, 1, 500);
        int offset = intParam(exchange, "offset", 0, 0, 10_000_000);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobs", jobs.list(status, limit, offset).stream().map(JobView::summary).toList());
        answer.put("total", jobs.count(status));
        answer.put("limit", limit);
        answer.put("offset", offset);
        return answer;
    }

    /** GET /api/jobs/{id} */
    public Object get(Exchange exchange) {
        Job job = existing(exchange);
        return JobView.detail(job, jobs.stages(job.id()), jobs.images(job.id()));
    }

    /** POST /api/jobs/{id}/cancel */
    public Object cancel(Exchange exchange) {
        Job job = existing(exchange);
        JobRepository.CancelOutcome outcome = jobs.cancel(job.id());
        switch (outcome) {
            case CANCELED -> metrics.jobCanceledWhileQueued();
            case ALREADY_FINISHED -> throw ApiException.conflict("job '" + job.id() + "' has already finished");
            case NOT_FOUND -> throw ApiException.notFound("no job '" + job.id() + "'");
            default -> { }
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return JobView.summary(jobs.find(job.id()).orElseThrow());
    }

    /** GET /api/jobs/{id}/results: the published files with presigned URLs. */
    public Object results(Exchange exchange) {
        Job job = existing(exchange);
        if (job.status() != JobStatus.COMPLETED) {
            throw ApiException.conflict("job '" + job.id() + "' is " + job.status().label() + "; only a completed job has results");
        }
        return resultFiles.of(job);
    }

    private Job existing(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (!JobOptions.validJobId(id)) {
            throw ApiException.badRequest("malformed job id: 1-64 letters, digits, '_' or '-'");
        }
        return jobs.find(id).orElseThrow(() -> ApiException.notFound("no job '" + id + "'"));
    }

    private JobOptions options(Map<String, String> fields) {
        try {
            return JobOptions.of(fields.get("dataset_type"), fields.get("quality"), fields.get("engine"),
                    fields.get("notify_url"), defaultEngine);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private String jobId(String requested) {
        if (requested == null) {
            return JobIds.next();
        }
        try {
            return JobOptions.requireJobId(requested);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static Map<String, String> jsonFields(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty: send JSON such as {\"prefix\": \"scan-01\"}");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + Keys.printable(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!CREATE_FIELDS.contains(field.getKey())) {
                throw ApiException.badRequest("unknown field '" + Keys.printable(field.getKey()) + "'; allowed: "
                        + String.join(", ", new TreeSet<>(CREATE_FIELDS)));
            }
            if (field.getValue().isNull()) {
                continue;
            }
            if (!field.getValue().isTextual()) {
                throw ApiException.badRequest("field '" + field.getKey() + "' must be a string");
            }
            fields.put(field.getKey(), field.getValue().asText());
        }
        return fields;
    }

    /** The form's text fields, read from the Vert.x request itself so repeated and unknown fields are seen. */
    private static Map<String, String> formFields(Exchange exchange) {
        if (!(exchange.getIn() instanceof HttpMessage http)) {
            throw new IllegalStateException("multipart request without its HTTP message");
        }
        MultiMap form = http.getRequest().formAttributes();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : form.names()) {
            if (!UPLOAD_FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown form field '" + Keys.printable(name) + "'; allowed: "
                        + String.join(", ", new TreeSet<>(UPLOAD_FIELDS)) + ", plus the image files");
            }
            if (form.getAll(name).size() > 1) {
                throw ApiException.badRequest("form field '" + name + "' was sent more than once");
            }
            fields.put(name, form.get(name));
        }
        return fields;
    }

    private static int intParam(Exchange exchange, String name, int fallback, int min, int max) {
        String raw = exchange.getMessage().getHeader(name, String.class);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number between " + min + " and " + max);
        }
    }
}
