#!/usr/bin/env python3
"""Generate the E2E3D Flow Grafana dashboards (grafana/dashboards/*.json).

The JSON files are committed; this script is their source. Edit the panel lists below and run
    python3 observability/grafana/generate_dashboards.py
Rules kept here on purpose:
  * every query is plain PromQL (no Grafana variables such as $__rate_interval), so each
    targets[].expr can be run as-is against Prometheus (see README, "Checking dashboards");
  * every query uses only series the service, node-exporter, cAdvisor or MinIO export, or the
    recording rules in prometheus/rules/recording.yml;
  * every PromQL query in the seed documents appears in some panel (marked "Seed query").
"""
import json
import os

DS = {"type": "prometheus", "uid": "prometheus"}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards")


def target(expr, legend="", ref="A", instant=False):
    t = {"datasource": DS, "refId": ref, "expr": expr, "legendFormat": legend or "__auto",
         "range": not instant, "instant": instant}
    return t


def thresholds(steps):
    """steps: list of (value|None, color)."""
    return {"mode": "absolute",
            "steps": [{"color": c, "value": v} for v, c in steps]}


GREEN = [(None, "green")]


def ts(title, queries, unit="short", desc="", steps=None, w=12, h=8, stack=False, minv=None, maxv=None):
    defaults = {"unit": unit, "color": {"mode": "palette-classic"},
                "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                           "showPoints": "never", "spanNulls": False,
                           "stacking": {"mode": "normal" if stack else "none", "group": "A"},
                           "thresholdsStyle": {"mode": "line" if steps else "off"}},
                "thresholds": thresholds(steps or GREEN)}
    if minv is not None:
        defaults["min"] = minv
    if maxv is not None:
        defaults["max"] = maxv
    return {"type": "timeseries", "title": title, "description": desc, "w": w, "h": h,
            "targets": queries,
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                        "tooltip": {"mode": "multi", "sort": "desc"}}}


def stat(title, queries, unit="short", desc="", steps=None, w=6, h=4, decimals=None, mappings=None):
    defaults = {"unit": unit, "color": {"mode": "thresholds"},
                "thresholds": thresholds(steps or GREEN), "mappings": mappings or []}
    if decimals is not None:
        defaults["decimals"] = decimals
    return {"type": "stat", "title": title, "description": desc, "w": w, "h": h,
            "targets": queries,
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "colorMode": "value", "graphMode": "area", "justifyMode": "auto",
                        "orientation": "auto", "textMode": "auto", "wideLayout": True,
                        "showPercentChange": False}}


def row(title):
    return {"type": "row", "title": title, "w": 24, "h": 1}


UP_MAPPING = [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red", "index": 0},
                                            "1": {"text": "UP", "color": "green", "index": 1}}}]
UP_STEPS = [(None, "red"), (1, "green")]


def layout(items):
    """Assign ids and gridPos left-to-right, wrapping at 24 columns."""
    panels, x, y, rowh, pid = [], 0, 0, 0, 1
    for it in items:
        w, h = it.pop("w"), it.pop("h")
        if it["type"] == "row":
            if x:
                y += rowh
            x, rowh = 0, 0
            it.update({"id": pid, "gridPos": {"x": 0, "y": y, "w": 24, "h": 1},
                       "collapsed": False, "panels": []})
            y += 1
        else:
            if x + w > 24:
                x, y, rowh = 0, y + rowh, 0
            it.update({"id": pid, "datasource": DS, "gridPos": {"x": x, "y": y, "w": w, "h": h}})
            for i, t in enumerate(it["targets"]):
                t["refId"] = chr(ord("A") + i)
            x += w
            rowh = max(rowh, h)
        pid += 1
        panels.append(it)
    return panels


def dashboard(uid, title, desc, tags, items, time_from="now-6h"):
    return {
        "uid": uid, "title": title, "description": desc, "tags": ["e2e3d"] + tags,
        "timezone": "browser", "editable": False, "graphTooltip": 1,
        "schemaVersion": 39, "version": 1, "refresh": "30s",
        "time": {"from": time_from, "to": "now"}, "timepicker": {},
        "fiscalYearStartMonth": 0, "liveNow": False, "weekStart": "",
        "templating": {"list": []},
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts", "type": "dashboard"}]},
        "links": [{"title": "E2E3D", "type": "dashboards", "tags": ["e2e3d"], "asDropdown": True,
                   "includeVars": False, "keepTime": True, "targetBlank": False, "icon": "external link",
                   "tooltip": "", "url": ""}],
        "panels": layout(items),
    }


SEED = "Seed query (verbatim from the seed docs). "

# ------------------------------------------------------------------ System Overview
system = dashboard(
    "e2e3d-system-overview", "E2E3D / System Overview",
    "Overall health and resource usage: scrape status, component health, host, containers, process and JVM.",
    ["system"],
    [
        row("Health"),
        stat("E2E3D scrape", [target('up{job="e2e3d"}', "{{instance}}", instant=True)],
             desc="1 when Prometheus scrapes the service (alert MetricsScrapeDown).",
             steps=UP_STEPS, mappings=UP_MAPPING),
        stat("Components", [target("e2e3d_component_up", "{{component}} {{instance}}", instant=True)],
             desc="Health of database, minio, reconstruction and queue as seen by the service's periodic checks (alert ComponentDown).",
             steps=UP_STEPS, mappings=UP_MAPPING, w=10),
        stat("Active jobs", [target("sum(e2e3d_active_jobs)", "active", instant=True)],
             desc="Jobs currently running a reconstruction (alert TooManyActiveJobs above 10).",
             steps=[(None, "green"), (10, "orange")], w=4),
        stat("Queued jobs", [target('max(e2e3d_queue_depth{status="queued"})', "queued", instant=True)],
             desc="Jobs waiting for a worker. The queue is in the shared database, so every replica reports the same value: max, not sum (alert QueueBacklog above 20 for 30 min).",
             steps=[(None, "green"), (20, "orange")], w=4),
        ts("Health checks by component and result (per 15 min)",
           [target("sum by (component, status) (increase(health_check_total[15m]))", "{{component}} {{status}}")],
           desc="health_check_total{component,status} counts each periodic check; the seed's HEALTH_CHECK counter.",
           w=12),
        ts("Component up", [target("e2e3d_component_up", "{{component}} {{instance}}")], w=12, minv=0, maxv=1),

        row("Host (node-exporter)"),
        ts("Node CPU utilisation by instance",
           [target('1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', "{{instance}}"),
            target("instance:node_cpu_utilisation:rate5m", "{{instance}} (recorded)")],
           unit="percentunit", minv=0, maxv=1, steps=[(None, "green"), (0.9, "red")],
           desc="Seed metric node_cpu_seconds_total. Alert HighCPUUsage at 90% for 5 min."),
        ts("Node CPU idle fraction (seed alert expression)",
           [target('avg by(instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', "{{instance}}")],
           unit="percentunit", minv=0, maxv=1, steps=[(None, "red"), (0.1, "green")],
           desc=SEED + "The seed's HighCPUUsage condition fires below 0.1."),
        ts("Node CPU seconds by mode",
           [target("sum by (instance, mode) (rate(node_cpu_seconds_total[5m]))", "{{instance}} {{mode}}")],
           unit="short", stack=True, desc="node_cpu_seconds_total per mode, in CPU cores."),
        ts("Node memory used",
           [target("node_memory_MemTotal_bytes - node_memory_MemFree_bytes", "{{instance}} total - free (seed)"),
            target("node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes", "{{instance}} total - available")],
           unit="bytes",
           desc=SEED + "Total - Free counts page cache as used; Total - Available is the better measure of pressure."),
        ts("Disk space available (fraction)",
           [target("node_filesystem_avail_bytes / node_filesystem_size_bytes", "{{instance}} {{mountpoint}}")],
           unit="percentunit", minv=0, maxv=1, steps=[(None, "red"), (0.1, "orange"), (0.2, "green")],
           desc=SEED),
        ts("Network I/O",
           [target("sum by (instance) (rate(node_network_receive_bytes_total[5m]))", "{{instance}} receive"),
            target("sum by (instance) (rate(node_network_transmit_bytes_total[5m]))", "{{instance}} transmit")],
           unit="Bps", desc="node_network_receive_bytes_total / node_network_transmit_bytes_total (seed metrics)."),

        row("Containers (cAdvisor)"),
        ts("Container CPU",
           [target('sum by (name) (rate(container_cpu_usage_seconds_total{name!=""}[5m]))', "{{name}}")],
           unit="short", desc="CPU cores used per container."),
        ts("Container memory (working set)",
           [target('sum by (name) (container_memory_working_set_bytes{name!=""})', "{{name}}")],
           unit="bytes"),

        row("E2E3D process and JVM"),
        ts("Process CPU", [target('rate(process_cpu_seconds_total{job="e2e3d"}[5m])', "{{instance}}")],
           unit="short", w=8, desc="CPU cores used by the service process."),
        ts("Process memory",
           [target('process_resident_memory_bytes{job="e2e3d"}', "{{instance}} resident"),
            target('process_virtual_memory_bytes{job="e2e3d"}', "{{instance}} virtual")],
           unit="bytes", w=8),
        ts("File descriptors in use",
           [target('process_open_fds{job="e2e3d"} / process_max_fds{job="e2e3d"}', "{{instance}}")],
           unit="percentunit", minv=0, maxv=1, w=8, steps=[(None, "green"), (0.8, "red")],
           desc="process_open_fds / process_max_fds"),
        stat("Uptime", [target('time() - process_start_time_seconds{job="e2e3d"}', "{{instance}}", instant=True)],
             unit="s", w=6, desc="From process_start_time_seconds."),
        ts("JVM heap/non-heap used",
           [target('sum by (instance, area) (jvm_memory_used_bytes{job="e2e3d"})', "{{instance}} {{area}}")],
           unit="bytes", w=6),
        ts("JVM GC pause time",
           [target('sum by (instance) (rate(jvm_gc_pause_seconds_sum{job="e2e3d"}[5m]))', "{{instance}}")],
           unit="percentunit", w=6, desc="Fraction of wall time spent in GC pauses."),
        ts("JVM live threads", [target('jvm_threads_live_threads{job="e2e3d"}', "{{instance}}")], w=6),
    ])

# ------------------------------------------------------------------ API Performance
api = dashboard(
    "e2e3d-api-performance", "E2E3D / API Performance",
    "Request rates, latencies and error rates of the REST API (RED), plus the Camel routes behind it.",
    ["api"],
    [
        row("Traffic and errors"),
        stat("Requests/s", [target("sum(rate(api_requests_total[5m]))", "req/s", instant=True)], unit="reqps"),
        stat("5xx ratio", [target('(sum(rate(api_requests_total{status=~"5.."}[5m])) or vector(0)) / sum(rate(api_requests_total[5m]))', "5xx", instant=True)],
             unit="percentunit", steps=[(None, "green"), (0.01, "orange"), (0.05, "red")]),
        stat("p95 latency (all endpoints)",
             [target("histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le))", "p95", instant=True)],
             unit="s", steps=[(None, "green"), (1, "red")],
             desc=SEED + "The seed's HighAPILatency expression without its '> 1'."),
        stat("4xx ratio", [target('sum(rate(api_requests_total{status=~"4.."}[5m])) / sum(rate(api_requests_total[5m]))', "4xx", instant=True)],
             unit="percentunit", steps=[(None, "green"), (0.2, "orange")]),
        ts("API request rate (per series)",
           [target("rate(api_requests_total[5m])", "{{method}} {{endpoint}} {{status}}")],
           unit="reqps", desc=SEED + "endpoint is the route template (e.g. /api/jobs/{id}), status the HTTP code."),
        ts("Requests by HTTP status",
           [target("sum by (status) (rate(api_requests_total[5m]))", "{{status}}")], unit="reqps", stack=True),
        ts("Error ratio (5xx) by job",
           [target("job:api_request_errors:ratio_rate5m", "{{job}}")],
           unit="percentunit", minv=0, desc="Recording rule job:api_request_errors:ratio_rate5m."),
        ts("Requests by endpoint",
           [target("sum by (method, endpoint) (rate(api_requests_total[5m]))", "{{method}} {{endpoint}}")],
           unit="reqps"),

        row("Latency"),
        ts("API latency p95 by endpoint",
           [target("histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le, endpoint))", "{{endpoint}}")],
           unit="s", steps=[(None, "green"), (1, "red")], desc=SEED),
        ts("API latency p50 / p95 / p99 (all endpoints)",
           [target("histogram_quantile(0.50, sum by (le) (rate(api_request_duration_seconds_bucket[5m])))", "p50"),
            target("job:api_request_duration_seconds:p95_5m", "p95 {{job}}"),
            target("histogram_quantile(0.99, sum by (le) (rate(api_request_duration_seconds_bucket[5m])))", "p99")],
           unit="s", steps=[(None, "green"), (1, "red")], desc="Alert HighAPILatency: p95 above 1 s for 5 min with at least 20 requests."),
        ts("Mean latency by endpoint",
           [target("sum by (method, endpoint) (rate(api_request_duration_seconds_sum[5m])) / sum by (method, endpoint) (rate(api_request_duration_seconds_count[5m]))",
                   "{{method}} {{endpoint}}")], unit="s"),
        ts("Slowest endpoints (p95, recorded)",
           [target("job_endpoint:api_request_duration_seconds:p95_5m", "{{endpoint}}")], unit="s"),

        row("Camel routes"),
        ts("Exchanges by route",
           [target("sum by (routeId) (rate(camel_exchanges_total[5m]))", "{{routeId}}")], unit="ops"),
        ts("Failed exchanges by route",
           [target("sum by (routeId) (rate(camel_exchanges_failed_total[5m]))", "{{routeId}}")], unit="ops"),
        ts("Mean route time",
           [target("sum by (routeId) (rate(camel_route_policy_seconds_sum[5m])) / sum by (routeId) (rate(camel_route_policy_seconds_count[5m]))", "{{routeId}}")],
           unit="s", desc="camel_route_policy_seconds (route policy timer)."),
        ts("Slowest route steps (mean)",
           [target("topk(10, sum by (routeId, nodeId) (rate(camel_message_history_seconds_sum[5m])) / sum by (routeId, nodeId) (rate(camel_message_history_seconds_count[5m])))",
                   "{{routeId}} / {{nodeId}}")],
           unit="s", desc="camel_message_history_seconds: one timer per step of every route."),
    ])

# ------------------------------------------------------------------ Reconstruction Performance
recon = dashboard(
    "e2e3d-reconstruction-performance", "E2E3D / Reconstruction Performance",
    "Reconstruction outcomes, per-stage timing and memory, model sizes and errors.",
    ["reconstruction"],
    [
        row("Outcomes"),
        stat("Reconstructions (since start)", [target("reconstruction_total", "{{instance}}", instant=True)],
             desc=SEED + "Counter since process start; resets on restart."),
        stat("Success rate % (since start)",
             [target("(reconstruction_success / reconstruction_total) * 100", "{{instance}}", instant=True)],
             unit="percent", decimals=1, steps=[(None, "red"), (90, "green")],
             desc=SEED + "reconstruction_success is a recording rule over reconstruction_success_total."),
        stat("Success rate (last hour)", [target("job:reconstruction_success:ratio_1h", "{{job}}", instant=True)],
             unit="percentunit", decimals=1, steps=[(None, "red"), (0.9, "green")],
             desc="Windowed: increase(success)/increase(total) over 1 h; no value when nothing ran."),
        stat("Failure ratio (since start)",
             [target("reconstruction_failure / reconstruction_total", "{{instance}}", instant=True)],
             unit="percentunit", decimals=1, steps=[(None, "green"), (0.1, "red")],
             desc=SEED + "The seed's HighFailureRate expression without '> 0.1'. The alert now uses a 30 min window."),
        ts("Reconstruction outcomes per hour",
           [target("sum(increase(reconstruction_success_total[1h]))", "success"),
            target("sum(increase(reconstruction_failure_total[1h]))", "failure")],
           unit="short", stack=True),
        ts("Failure ratio (30 min window, alert basis)",
           [target("sum by (job) (increase(reconstruction_failure_total[30m])) / on (job) (sum by (job) (increase(reconstruction_total[30m])) > 0)", "{{job}}")],
           unit="percentunit", minv=0, steps=[(None, "green"), (0.1, "red")]),

        row("Stages"),
        ts("Stage duration p95 (1 h)",
           [target("histogram_quantile(0.95, sum by (le, stage) (rate(reconstruction_stage_duration_seconds_bucket[1h])))", "{{stage}}")],
           unit="s", steps=[(None, "green"), (1800, "red")], desc="Alert StageSlow above 30 min for 15 min."),
        ts("Stage mean duration by dataset type (1 h)",
           [target("sum by (stage, dataset_type) (rate(reconstruction_stage_duration_seconds_sum[1h])) / sum by (stage, dataset_type) (rate(reconstruction_stage_duration_seconds_count[1h]))",
                   "{{stage}} ({{dataset_type}})")], unit="s"),
        ts("Stage runs per hour",
           [target("sum by (stage) (increase(reconstruction_stage_duration_seconds_count[1h]))", "{{stage}}")], unit="short"),
        ts("Memory by stage",
           [target("max by (stage) (reconstruction_memory_usage_bytes)", "{{stage}}")], unit="bytes",
           desc="reconstruction_memory_usage_bytes{stage}: memory measured at the end of the stage."),
        ts("Stage routes: mean time (Camel)",
           [target('sum by (routeId) (rate(camel_route_policy_seconds_sum{routeId=~"stage-.*"}[1h])) / sum by (routeId) (rate(camel_route_policy_seconds_count{routeId=~"stage-.*"}[1h]))', "{{routeId}}")],
           unit="s", desc="The stage-* Camel routes (cross-check of reconstruction_stage_duration_seconds)."),
        ts("Stage p95 (recorded)",
           [target("stage:reconstruction_stage_duration_seconds:p95_1h", "{{stage}}")], unit="s",
           steps=[(None, "green"), (1800, "red")]),

        row("Models and errors"),
        ts("Point cloud size p50 / p95 by dataset type",
           [target("histogram_quantile(0.5, sum by (le, dataset_type) (rate(reconstruction_point_cloud_size_bucket[6h])))", "p50 {{dataset_type}}"),
            target("histogram_quantile(0.95, sum by (le, dataset_type) (rate(reconstruction_point_cloud_size_bucket[6h])))", "p95 {{dataset_type}}")],
           unit="short"),
        ts("Mesh face count p50 / p95 by dataset type",
           [target("histogram_quantile(0.5, sum by (le, dataset_type) (rate(reconstruction_mesh_face_count_bucket[6h])))", "p50 {{dataset_type}}"),
            target("histogram_quantile(0.95, sum by (le, dataset_type) (rate(reconstruction_mesh_face_count_bucket[6h])))", "p95 {{dataset_type}}")],
           unit="short"),
        ts("Mean model size by dataset type",
           [target("sum by (dataset_type) (rate(reconstruction_point_cloud_size_sum[6h])) / sum by (dataset_type) (rate(reconstruction_point_cloud_size_count[6h]))", "points {{dataset_type}}"),
            target("sum by (dataset_type) (rate(reconstruction_mesh_face_count_sum[6h])) / sum by (dataset_type) (rate(reconstruction_mesh_face_count_count[6h]))", "faces {{dataset_type}}")],
           unit="short"),
        ts("Errors by stage and type (per hour)",
           [target("sum by (stage, error_type) (increase(reconstruction_errors_total[1h]))", "{{stage}} {{error_type}}")],
           unit="short", stack=True, desc="error_type comes from a fixed set (too_few_images, stage_not_available, ...)."),
    ])

# ------------------------------------------------------------------ Storage Metrics
storage = dashboard(
    "e2e3d-storage-metrics", "E2E3D / Storage Metrics",
    "Object-store usage and traffic. Works with MinIO (minio_* series) and without it (the service's e2e3d_storage_bucket_* gauges).",
    ["storage"],
    [
        row("Buckets"),
        ts("Storage usage by bucket",
           [target("minio_bucket_usage_bytes", "{{bucket}} ({{source}})")], unit="bytes",
           desc=SEED + "Recording rule: MinIO's minio_bucket_usage_total_bytes, else the service's e2e3d_storage_bucket_bytes."),
        ts("Object count by bucket",
           [target("minio_bucket_objects_count", "{{bucket}} ({{source}})")], unit="short",
           desc=SEED + "Recording rule: MinIO's minio_bucket_usage_object_total, else e2e3d_storage_bucket_objects."),
        stat("Input bucket size", [target('sum(minio_bucket_usage_bytes{bucket="input"})', "input", instant=True)], unit="bytes"),
        stat("Output bucket size", [target('sum(minio_bucket_usage_bytes{bucket="output"})', "output", instant=True)], unit="bytes"),
        stat("Input objects", [target('sum(minio_bucket_objects_count{bucket="input"})', "input", instant=True)]),
        stat("Output objects", [target('sum(minio_bucket_objects_count{bucket="output"})', "output", instant=True)]),
        ts("Service view: bucket bytes",
           [target("max by (bucket) (e2e3d_storage_bucket_bytes)", "{{bucket}}")], unit="bytes",
           desc="e2e3d_storage_bucket_bytes, reported by the service for its input/output buckets."),
        ts("Service view: bucket objects",
           [target("max by (bucket) (e2e3d_storage_bucket_objects)", "{{bucket}}")], unit="short"),

        row("Traffic"),
        ts("Upload rate (MinIO PutObject)",
           [target('rate(minio_s3_requests_total{api="PutObject"}[5m])', "{{server}}")], unit="reqps",
           desc=SEED + "Only with MinIO."),
        ts("Download rate (MinIO GetObject)",
           [target('rate(minio_s3_requests_total{api="GetObject"}[5m])', "{{server}}")], unit="reqps",
           desc=SEED + "Only with MinIO."),
        ts("Ingested objects by result",
           [target("sum by (result) (rate(e2e3d_ingest_objects_total[5m]))", "{{result}}")], unit="ops", stack=True,
           desc="e2e3d_ingest_objects_total{result}: image, marker, manifest, rejected, duplicate."),
        ts("Storage errors (per hour)",
           [target('sum by (stage) (increase(reconstruction_errors_total{error_type="storage_error"}[1h]))', "{{stage}}")],
           unit="short"),
        ts("Host disk available (fraction)",
           [target('node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"}', "{{instance}} {{mountpoint}}")],
           unit="percentunit", minv=0, maxv=1, steps=[(None, "red"), (0.1, "orange"), (0.2, "green")], w=24),
    ])

# ------------------------------------------------------------------ Job Statistics
jobs = dashboard(
    "e2e3d-job-statistics", "E2E3D / Job Statistics",
    "Job volume, outcomes, durations and queue.",
    ["jobs"],
    [
        row("Volume and outcome"),
        stat("Active jobs", [target("e2e3d_active_jobs", "{{instance}}", instant=True)],
             steps=[(None, "green"), (10, "orange")], desc=SEED + "Alert TooManyActiveJobs above 10 for 5 min."),
        stat("Jobs created (24 h)", [target("sum(increase(jobs_created_total[24h]))", "created", instant=True)], decimals=0),
        stat("Job success rate (since start)",
             [target("sum(jobs_completed_total) / (sum(jobs_completed_total) + sum(jobs_failed_total))", "success", instant=True)],
             unit="percentunit", decimals=1, steps=[(None, "red"), (0.9, "green")],
             desc=SEED + "Lifetime counters: resets on restart. See 'Failure ratio (1 h)' for the windowed view."),
        stat("Job failure ratio (1 h)", [target("job:jobs_failed:ratio_1h", "{{job}}", instant=True)],
             unit="percentunit", decimals=1, steps=[(None, "green"), (0.1, "red")],
             desc="failed / (completed + failed) over 1 h (recording rule). Alert JobFailureRateHigh above 10%."),
        ts("Jobs by outcome (per hour)",
           [target("sum(increase(jobs_created_total[1h]))", "created"),
            target("sum(increase(jobs_completed_total[1h]))", "completed"),
            target("sum(increase(jobs_failed_total[1h]))", "failed"),
            target("sum(increase(jobs_canceled_total[1h]))", "canceled")],
           unit="short"),
        ts("Failed vs created (seed alert expression)",
           [target("sum(rate(jobs_failed_total[1h])) / sum(rate(jobs_created_total[1h]))", "failed / created")],
           unit="percentunit", minv=0, steps=[(None, "green"), (0.1, "red")],
           desc=SEED + "The seed's JobFailureRateHigh expression; the alert now divides by finished jobs instead."),
        ts("Active jobs", [target("e2e3d_active_jobs", "{{instance}}")], unit="short",
           steps=[(None, "green"), (10, "orange")]),
        ts("Queue depth", [target("max by (status) (e2e3d_queue_depth)", "{{status}}")], unit="short",
           desc="Global (shared database), reported by every replica: max, not sum.",
           steps=[(None, "green"), (20, "orange")]),

        row("Durations"),
        ts("Job processing time p95 (1 h)",
           [target("histogram_quantile(0.95, sum(rate(job_processing_duration_seconds_bucket[1h])) by (le))", "p95")],
           unit="s", desc=SEED),
        ts("Mean job duration by status (1 h) - correct average",
           [target("sum by (status) (rate(e2e3d_job_duration_seconds_sum[1h])) / sum by (status) (rate(e2e3d_job_duration_seconds_count[1h]))", "{{status}}"),
            target("sum(rate(e2e3d_job_duration_seconds_sum[1h])) / sum(rate(e2e3d_job_duration_seconds_count[1h]))", "all")],
           unit="s", desc="sum(rate(_sum)) / sum(rate(_count)): seconds per job over the window."),
        ts("Job duration by status (total seconds)",
           [target("sum(e2e3d_job_duration_seconds) by (status)", "{{status}}")], unit="s",
           desc=SEED + "Recording rule over e2e3d_job_duration_seconds_sum: cumulative seconds per outcome since start."),
        stat("Seed 'average job duration'",
             [target("sum(e2e3d_job_duration_seconds) / count(e2e3d_job_duration_seconds)", "seed", instant=True)],
             unit="s", w=6, h=8,
             desc=SEED + "Kept for reference only: it divides total seconds by the number of status values, "
                         "NOT by the number of jobs. Use the panel 'Mean job duration by status'."),
        stat("Mean job duration (1 h, recorded)",
             [target("job:e2e3d_job_duration_seconds:mean_1h", "{{job}}", instant=True)], unit="s", w=6, h=8),
        ts("Longest recent job by status",
           [target("max by (status) (e2e3d_job_duration_seconds_max)", "{{status}}")], unit="s",
           desc="Micrometer's _max: the longest job in the current decay window (about 2 min)."),
        ts("Job processing time mean (1 h)",
           [target("sum(rate(job_processing_duration_seconds_sum[1h])) / sum(rate(job_processing_duration_seconds_count[1h]))", "mean")],
           unit="s"),
    ])


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, d in [("system-overview", system), ("api-performance", api),
                    ("reconstruction-performance", recon), ("storage-metrics", storage),
                    ("job-statistics", jobs)]:
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(d, f, indent=2)
            f.write("\n")
        print("wrote", name + ".json", len(d["panels"]), "panels")


if __name__ == "__main__":
    main()
