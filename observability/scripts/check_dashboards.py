#!/usr/bin/env python3
"""Check the Grafana dashboards in observability/grafana/dashboards.

  python3 observability/scripts/check_dashboards.py                  # JSON + seed coverage only
  python3 observability/scripts/check_dashboards.py http://127.0.0.1:9090   # also run every expr

Checks:
  1. every *.json file parses and has the expected Grafana shape (uid, title, schemaVersion, panels,
     datasource uid "prometheus" on every panel/target, targets[].expr non-empty);
  2. every PromQL query quoted in the seed documents appears verbatim in some panel expr;
  3. with a Prometheus URL: every expr is sent to /api/v1/query; a parse/evaluation error fails
     the check, and exprs that return no data are listed (expected when that exporter or series
     is absent, e.g. MinIO, or before the first job).
Exit status 1 on any failure.
"""
import glob
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DASH_DIR = os.path.join(HERE, "..", "grafana", "dashboards")

# Every PromQL query in the seed docs (metrics.md and monitoring-and-metrics-system.md).
SEED_QUERIES = [
    "reconstruction_total",
    "(reconstruction_success / reconstruction_total) * 100",
    "e2e3d_active_jobs",
    "sum(e2e3d_job_duration_seconds) / count(e2e3d_job_duration_seconds)",
    "sum(e2e3d_job_duration_seconds) by (status)",
    "reconstruction_failure / reconstruction_total",                     # HighFailureRate
    'avg by(instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',  # HighCPUUsage
    "histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le))",  # HighAPILatency
    "sum(rate(jobs_failed_total[1h])) / sum(rate(jobs_created_total[1h]))",  # JobFailureRateHigh
    "node_cpu_seconds_total",
    "node_memory_MemTotal_bytes - node_memory_MemFree_bytes",
    "node_filesystem_avail_bytes / node_filesystem_size_bytes",
    "node_network_receive_bytes_total",
    "node_network_transmit_bytes_total",
    "rate(api_requests_total[5m])",
    "histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le, endpoint))",
    "histogram_quantile(0.95, sum(rate(job_processing_duration_seconds_bucket[1h])) by (le))",
    "sum(jobs_completed_total) / (sum(jobs_completed_total) + sum(jobs_failed_total))",
    "minio_bucket_usage_bytes",
    "minio_bucket_objects_count",
    'rate(minio_s3_requests_total{api="PutObject"}[5m])',
    'rate(minio_s3_requests_total{api="GetObject"}[5m])',
]


def panels_of(dash):
    for p in dash.get("panels", []):
        yield p
        for q in p.get("panels", []) or []:
            yield q


def main():
    prom = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else None
    failures, exprs = [], []
    files = sorted(glob.glob(os.path.join(DASH_DIR, "*.json")))
    if not files:
        failures.append("no dashboards found in " + DASH_DIR)
    uids = set()
    for path in files:
        name = os.path.basename(path)
        try:
            with open(path) as f:
                dash = json.load(f)
        except ValueError as e:
            failures.append(f"{name}: invalid JSON: {e}")
            continue
        for key in ("uid", "title", "schemaVersion", "panels"):
            if key not in dash:
                failures.append(f"{name}: missing {key}")
        if dash.get("uid") in uids:
            failures.append(f"{name}: duplicate uid {dash.get('uid')}")
        uids.add(dash.get("uid"))
        ids = set()
        for p in panels_of(dash):
            if p.get("id") in ids:
                failures.append(f"{name}: duplicate panel id {p.get('id')}")
            ids.add(p.get("id"))
            if p.get("type") == "row":
                continue
            if (p.get("datasource") or {}).get("uid") != "prometheus":
                failures.append(f"{name}: panel '{p.get('title')}' datasource uid is not 'prometheus'")
            if not p.get("targets"):
                failures.append(f"{name}: panel '{p.get('title')}' has no targets")
            for t in p.get("targets", []):
                expr = (t.get("expr") or "").strip()
                if not expr:
                    failures.append(f"{name}: panel '{p.get('title')}' target {t.get('refId')} has no expr")
                    continue
                if "$" in expr:
                    failures.append(f"{name}: panel '{p.get('title')}' uses a Grafana variable: {expr}")
                exprs.append((name, p.get("title"), expr))
    print(f"{len(files)} dashboards, {len(exprs)} queries")

    all_text = "\n".join(e for _, _, e in exprs)
    for q in SEED_QUERIES:
        if q not in all_text:
            failures.append(f"seed query not in any dashboard: {q}")

    if prom:
        empty = []
        for name, title, expr in exprs:
            url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
            try:
                with urllib.request.urlopen(url, timeout=30) as r:
                    body = json.load(r)
            except urllib.error.HTTPError as e:
                body = json.load(e)
            except Exception as e:  # connection problems
                failures.append(f"{name}: '{title}': request failed: {e}")
                continue
            if body.get("status") != "success":
                failures.append(f"{name}: '{title}': {body.get('errorType')}: {body.get('error')} :: {expr}")
            elif not body["data"]["result"]:
                empty.append(f"{name}: '{title}': {expr}")
        print(f"{len(exprs) - len(empty)} queries returned data, {len(empty)} returned nothing")
        for e in empty:
            print("  no data:", e)

    for f in failures:
        print("FAIL:", f)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
