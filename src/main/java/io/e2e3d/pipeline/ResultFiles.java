package io.e2e3d.pipeline;

import io.e2e3d.job.Job;
import io.e2e3d.storage.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files a job published under {@code <job_id>/} in the output bucket, each as {name, type, size, url}
 * with a presigned download URL made now (so it is fresh whenever it is shown or sent).
 */
public class ResultFiles {

    private final ObjectStore store;

    public ResultFiles(ObjectStore store) {
        this.store = store;
    }

    public List<Map<String, Object>> of(Job job) {
        List<Map<String, Object>> files = new ArrayList<>();
        store.forEachPage(job.resultBucket(), job.resultPrefix(), page -> {
            for (S3Object o : page) {
                String name = o.key().substring(job.resultPrefix().length());
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("name", name);
                f.put("type", name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "file");
                f.put("size", o.size());
                f.put("url", store.presignGet(job.resultBucket(), o.key()).toString());
                files.add(f);
            }
        });
        return files;
    }
}
