#!/usr/bin/env python3
"""Writes the committed observability files from one place (Python 3 standard library only):

  dashboards/<name>.json                      Grafana dashboards (uid driftwatch-<name>)
  k8s/base/130-PrometheusRule-driftwatch.yaml  the groups of alerts/driftwatch.rules.yaml as a PrometheusRule

Run it after changing this file or the rules file:  scripts/generate-observability.py
`--check` exits 1 when a committed file differs from what it would write.

Conventions (kubernetes-mixin): uid driftwatch-<name>, id null, version 0, tag driftwatch, a $datasource variable and
no datasource uid anywhere else, $cluster on every query, $__rate_interval in every rate/increase. Queries select
job="driftwatch-agent" so that the hub's series (its own job) never mix in; a fleet dashboard on hub metrics is one
more DASHBOARDS entry.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DS = {"type": "prometheus", "uid": "${datasource}"}
AGENT = 'job="driftwatch-agent", cluster="$cluster"'


def datasource_var():
    return {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "includeAll": False, "multi": False, "options": [], "refresh": 1, "regex": ""}


def query_var(name, label, query, include_all=False):
    var = {"name": name, "label": label, "type": "query", "datasource": DS,
           "query": {"query": query, "refId": name}, "definition": query, "current": {}, "hide": 0,
           "includeAll": include_all, "multi": include_all, "options": [], "refresh": 2, "regex": "", "sort": 1}
    if include_all:
        var["allValue"] = ".*"
    return var


def target(expr, legend="", ref="A", table=False):
    t = {"datasource": DS, "expr": expr, "refId": ref, "legendFormat": legend}
    if table:
        t.update({"format": "table", "instant": True, "range": False})
    return t


def panel(kind, title, targets, description="", unit=None, width=12, height=8, **extra):
    p = {"type": kind, "title": title, "description": description, "datasource": DS, "targets": targets,
         "fieldConfig": {"defaults": {}, "overrides": []}, "options": {}, "_w": width, "_h": height}
    if unit:
        p["fieldConfig"]["defaults"]["unit"] = unit
    if kind == "timeseries":
        p["options"] = {"legend": {"displayMode": "table", "placement": "right", "calcs": ["lastNotNull", "max"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}}
    p.update(extra)
    return p


def stat(title, expr, description, unit=None, legend="", thresholds=None):
    p = panel("stat", title, [target(expr, legend)], description, unit, width=6, height=4)
    p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "value", "graphMode": "area", "textMode": "auto"}
    if thresholds:
        p["fieldConfig"]["defaults"]["thresholds"] = {"mode": "absolute", "steps": thresholds}
    return p


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "panels": [], "_w": 24, "_h": 1}


GREEN_RED = [{"color": "green", "value": None}, {"color": "red", "value": 1}]


def cluster_detail():
    sel = AGENT + ', app=~"$app"'
    return {
        "title": "driftwatch / Cluster and app detail",
        "description": "Drift of one cluster's apps as its driftwatch agent sees it.",
        "variables": [datasource_var(),
                      query_var("cluster", "Cluster", 'label_values(driftwatch_build_info{job="driftwatch-agent"}, cluster)'),
                      query_var("app", "App", 'label_values(driftwatch_desired_resources{%s}, app)' % AGENT, True)],
        "panels": [
            row("Now"),
            stat("Drifted resources", 'sum(driftwatch_drifted_resources{%s})' % sel,
                 "Resources that differ from their desired state now.", thresholds=GREEN_RED),
            stat("Apps drifted", 'sum(max by (app) (driftwatch_app_drifted{%s}))' % sel,
                 "Apps with at least one drifted resource.", thresholds=GREEN_RED),
            stat("Oldest open drift", 'time() - min(driftwatch_drift_started_timestamp_seconds{%s}) or vector(0)' % sel,
                 "Age of the oldest open drift (0: none). From the per-drift series, which is capped.", unit="s"),
            stat("Apps with failing sources", 'sum(1 - min by (app) (driftwatch_source_healthy{%s}))' % sel,
                 "Apps whose last desired-state load failed.", thresholds=GREEN_RED),
            row("Drift"),
            panel("timeseries", "Drifted resources by app and type",
                  [target('sum by (app, type) (driftwatch_drifted_resources{%s})' % sel, "{{app}} {{type}}")],
                  "Resources currently drifted (modified, missing, extra)."),
            panel("timeseries", "Drifted resources by namespace and kind",
                  [target('sum by (namespace, kind) (driftwatch_drifted_resources{%s})' % sel, "{{namespace}} {{kind}}")],
                  "Where the drift is."),
            panel("timeseries", "Drift lifecycle events",
                  [target('sum by (event) (rate(driftwatch_drift_events_total{%s}[$__rate_interval]))' % sel, "{{event}}")],
                  "Drifts opened, updated and resolved per second.", unit="ops"),
            panel("table", "Per-app state",
                  [target('max by (app) (driftwatch_app_drifted{%s})' % sel, ref="A", table=True),
                   target('sum by (app) (driftwatch_drifted_resources{%s})' % sel, ref="B", table=True),
                   target('max by (app) (driftwatch_desired_resources{%s})' % sel, ref="C", table=True),
                   target('min by (app) (driftwatch_source_healthy{%s})' % sel, ref="D", table=True),
                   target('time() - max by (app) (driftwatch_source_last_success_timestamp_seconds{%s})' % sel,
                          ref="E", table=True)],
                  "Per app: drifted (1/0), drifted resources, desired objects, source healthy (1/0), seconds since "
                  "the last successful load.",
                  transformations=[{"id": "merge", "options": {}},
                                   {"id": "organize", "options": {
                                       "excludeByName": {"Time": True},
                                       "renameByName": {"Value #A": "Drifted", "Value #B": "Drifted resources",
                                                        "Value #C": "Desired objects", "Value #D": "Source healthy",
                                                        "Value #E": "Since last load (s)"}}}]),
            row("Desired state"),
            panel("timeseries", "Source loads by result",
                  [target('sum by (app, result) (rate(driftwatch_source_sync_total{%s}[$__rate_interval]))' % sel,
                          "{{app}} {{result}}")],
                  "Desired-state loads (Git fetch + render, or directory read) per second.", unit="ops"),
            panel("timeseries", "Desired state age",
                  [target('time() - max by (app) (driftwatch_source_last_success_timestamp_seconds{%s})' % sel,
                          "{{app}}")],
                  "Seconds since each app's desired state last loaded successfully "
                  "(DriftwatchDesiredStateStale at 1 h).", unit="s"),
            row("Detection"),
            panel("timeseries", "Detection latency",
                  [target('histogram_quantile(0.5, sum by (le) (rate(driftwatch_drift_detection_latency_seconds_bucket{%s}[$__rate_interval])))' % AGENT, "p50", "A"),
                   target('histogram_quantile(0.99, sum by (le) (rate(driftwatch_drift_detection_latency_seconds_bucket{%s}[$__rate_interval])))' % AGENT, "p99", "B")],
                  "Live change received → drift verdict.", unit="s"),
            panel("table", "Current drifts",
                  [target('time() - max by (namespace, kind, name, app, type, manager) '
                          '(driftwatch_drift_started_timestamp_seconds{%s})' % sel, table=True)],
                  "Every open drift exported as a per-drift series (capped by metrics.maxDriftSeries), with the "
                  "field manager that wrote it and its age.", unit="s",
                  transformations=[{"id": "organize", "options": {
                      "excludeByName": {"Time": True},
                      "indexByName": {"namespace": 0, "kind": 1, "name": 2, "app": 3, "type": 4, "manager": 5,
                                      "Value": 6},
                      "renameByName": {"Value": "Age"}}}],
                  width=24),
        ],
    }


def agent_internals():
    sel = AGENT + ', instance=~"$instance"'
    return {
        "title": "driftwatch / Agent internals",
        "description": "How the driftwatch agent replicas of one cluster work: informers, detection, sources, "
                       "Events, render cache, JVM and Vert.x.",
        "variables": [datasource_var(),
                      query_var("cluster", "Cluster", 'label_values(driftwatch_build_info{job="driftwatch-agent"}, cluster)'),
                      query_var("instance", "Instance",
                                'label_values(driftwatch_build_info{%s}, instance)' % AGENT, True)],
        "panels": [
            row("Replicas"),
            stat("Leader", 'driftwatch_leader{%s}' % sel, "1 on the replica that diffs and emits.",
                 legend="{{instance}}"),
            stat("Version", 'driftwatch_build_info{%s}' % sel, "Build of each replica.",
                 legend="{{instance}} {{version}} (Java {{java_version}})"),
            stat("Informers", 'count by (instance) (driftwatch_watched_objects{%s})' % sel,
                 "Kinds watched by informers, per replica.", legend="{{instance}}"),
            stat("Uptime", 'time() - process_start_time_seconds{%s}' % sel, "Per replica.", unit="s",
                 legend="{{instance}}"),
            row("Informers and detection"),
            panel("timeseries", "Watched objects by kind",
                  [target('sum by (instance, kind) (driftwatch_watched_objects{%s})' % sel, "{{instance}} {{kind}}")],
                  "Live objects held by the informers."),
            panel("timeseries", "Desired objects by app",
                  [target('max by (app) (driftwatch_desired_resources{%s})' % sel, "{{app}}")],
                  "Objects in each app's desired state."),
            panel("heatmap", "Detection latency histogram",
                  [dict(target('sum by (le) (increase(driftwatch_drift_detection_latency_seconds_bucket{%s}[$__rate_interval]))' % sel, "{{le}}"),
                        format="heatmap")],
                  "Live change received → drift verdict, by bucket.",
                  options={"calculate": False, "yAxis": {"unit": "s"}, "cellGap": 1}),
            panel("timeseries", "Detection latency quantiles",
                  [target('histogram_quantile(0.5, sum by (le) (rate(driftwatch_drift_detection_latency_seconds_bucket{%s}[$__rate_interval])))' % sel, "p50", "A"),
                   target('histogram_quantile(0.9, sum by (le) (rate(driftwatch_drift_detection_latency_seconds_bucket{%s}[$__rate_interval])))' % sel, "p90", "B"),
                   target('histogram_quantile(0.99, sum by (le) (rate(driftwatch_drift_detection_latency_seconds_bucket{%s}[$__rate_interval])))' % sel, "p99", "C")],
                  "", unit="s"),
            row("Sources, Events, series cap"),
            panel("timeseries", "Source errors",
                  [target('sum by (instance, app) (increase(driftwatch_source_sync_total{%s, result="error"}[$__rate_interval]))' % sel,
                          "{{instance}} {{app}}")],
                  "Failed desired-state loads (fetch, render, parse); the reason is in the log and /api/v1/status."),
            panel("timeseries", "Kubernetes Events by result",
                  [target('sum by (result) (rate(driftwatch_kubernetes_events_total{%s}[$__rate_interval]))' % sel,
                          "{{result}}")],
                  "DriftDetected/DriftResolved Events sent, rate limited (events.minInterval) or failed.", unit="ops"),
            panel("timeseries", "Per-drift series dropped",
                  [target('sum by (instance) (increase(driftwatch_drift_series_dropped_total{%s}[$__rate_interval]))' % sel,
                          "{{instance}}")],
                  "Open drifts not exported because metrics.maxDriftSeries was reached."),
            row("Render cache (Git apps)"),
            panel("timeseries", "Render cache hit ratio",
                  [target('sum by (instance) (rate(cache_gets_total{%s, cache="driftwatch_render", result="hit"}[$__rate_interval]))'
                          ' / sum by (instance) (rate(cache_gets_total{%s, cache="driftwatch_render"}[$__rate_interval]))' % (sel, sel),
                          "{{instance}}")],
                  "Share of Git app loads served from the render cache (same commit, path and inputs).",
                  unit="percentunit"),
            panel("timeseries", "Render cache lookups",
                  [target('sum by (instance, result) (rate(cache_gets_total{%s, cache="driftwatch_render"}[$__rate_interval]))' % sel,
                          "{{instance}} {{result}}")],
                  "", unit="ops"),
            row("JVM and Vert.x"),
            panel("timeseries", "JVM heap",
                  [target('sum by (instance) (jvm_memory_used_bytes{%s, area="heap"})' % sel, "{{instance}} used", "A"),
                   target('sum by (instance) (jvm_memory_committed_bytes{%s, area="heap"})' % sel,
                          "{{instance}} committed", "B")],
                  "", unit="bytes"),
            panel("timeseries", "GC time",
                  [target('sum by (instance, gc) (rate(jvm_gc_pause_seconds_sum{%s}[$__rate_interval]))' % sel,
                          "{{instance}} {{gc}}")],
                  "Share of wall time spent in GC pauses.", unit="percentunit"),
            panel("timeseries", "CPU and threads",
                  [target('process_cpu_usage{%s}' % sel, "{{instance}} CPU", "A"),
                   target('jvm_threads_live_threads{%s}' % sel, "{{instance}} threads", "B")],
                  "Process CPU (share of the available cores) and live threads.",
                  fieldConfig={"defaults": {}, "overrides": [
                      {"matcher": {"id": "byFrameRefID", "options": "A"},
                       "properties": [{"id": "unit", "value": "percentunit"}]},
                      {"matcher": {"id": "byFrameRefID", "options": "B"},
                       "properties": [{"id": "custom.axisPlacement", "value": "right"}]}]}),
            panel("timeseries", "HTTP requests by route",
                  [target('sum by (route, code) (rate(vertx_http_server_requests_total{%s}[$__rate_interval]))' % sel,
                          "{{route}} {{code}}")],
                  "Requests to /metrics, the probes, the API and /hooks/git (Vert.x HTTP server).", unit="reqps"),
            panel("timeseries", "HTTP response time by route",
                  [target('sum by (route) (rate(vertx_http_server_response_time_seconds_sum{%s}[$__rate_interval]))'
                          ' / sum by (route) (rate(vertx_http_server_response_time_seconds_count{%s}[$__rate_interval]))' % (sel, sel),
                          "{{route}}")],
                  "Mean response time; slow probes or scrapes point at a busy event loop or GC.", unit="s"),
            panel("timeseries", "HTTP connections",
                  [target('sum by (instance) (vertx_http_server_active_connections{%s})' % sel, "{{instance}}")],
                  "Open connections to the agent's HTTP server."),
        ],
    }


DASHBOARDS = {"cluster-detail": cluster_detail, "agent-internals": agent_internals}


def layout(panels):
    out, x, y, h_row, next_id = [], 0, 0, 0, 1
    for p in panels:
        w, h = p.pop("_w"), p.pop("_h")
        if x + w > 24:
            x, y, h_row = 0, y + h_row, 0
        p = {"id": next_id, "gridPos": {"h": h, "w": w, "x": x, "y": y}, **p}
        next_id += 1
        out.append(p)
        x, h_row = x + w, max(h_row, h)
        if p["type"] == "row":
            x, y, h_row = 0, y + h, 0
    return out


def dashboard(name, spec):
    return {
        "__inputs": [], "uid": "driftwatch-" + name, "id": None, "version": 0, "title": spec["title"],
        "description": spec["description"], "tags": ["driftwatch"], "editable": True, "graphTooltip": 1,
        "schemaVersion": 39, "time": {"from": "now-6h", "to": "now"}, "refresh": "30s", "timezone": "",
        "templating": {"list": spec["variables"]}, "annotations": {"list": []}, "links": [
            {"title": "driftwatch dashboards", "type": "dashboards", "tags": ["driftwatch"], "asDropdown": True,
             "includeVars": True, "keepTime": True}],
        "panels": layout(spec["panels"]),
    }


def prometheus_rule():
    rules = (ROOT / "alerts" / "driftwatch.rules.yaml").read_text()
    start = rules.index("\ngroups:") + 1
    body = "".join("  " + line if line.strip() else line for line in rules[start:].splitlines(keepends=True))
    return ("# Generated by scripts/generate-observability.py from alerts/driftwatch.rules.yaml: edit that file.\n"
            "# The Prometheus Operator loads these groups (label it for your Prometheus' ruleSelector if needed).\n"
            "apiVersion: monitoring.coreos.com/v1\n"
            "kind: PrometheusRule\n"
            "metadata:\n"
            "  name: driftwatch\n"
            "  namespace: driftwatch\n"
            "  labels:\n"
            "    app.kubernetes.io/name: driftwatch\n"
            "    app.kubernetes.io/part-of: driftwatch\n"
            "spec:\n" + body)


def outputs():
    files = {ROOT / "dashboards" / (name + ".json"): json.dumps(dashboard(name, build()), indent=2) + "\n"
             for name, build in DASHBOARDS.items()}
    files[ROOT / "k8s" / "base" / "130-PrometheusRule-driftwatch.yaml"] = prometheus_rule()
    return files


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for path, text in outputs().items():
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if stale:
        print("out of date (run scripts/generate-observability.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
