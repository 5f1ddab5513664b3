#!/usr/bin/env python3
"""Writes the committed observability files from one place (Python 3 standard library only):

  dashboards/<name>.json                             Grafana dashboards (uid driftwatch-<name>)
  k8s/monitoring/130-PrometheusRule-driftwatch.yaml   the groups of alerts/driftwatch.rules.yaml as a PrometheusRule
  k8s/monitoring/140-ConfigMap-driftwatch-dashboards.yaml  the dashboards as ConfigMaps for Grafana's sidecar
  charts/driftwatch/files/                            copies of the rules file and the dashboards, which the Helm
                                                      chart reads with .Files.Get (a chart sees only its own files)

Run it after changing this file or the rules file:  scripts/generate-observability.py
`--check` exits 1 when a committed file differs from what it would write.

Conventions (kubernetes-mixin): uid driftwatch-<name>, id null, version 0, tag driftwatch, a $datasource variable and
no datasource uid anywhere else, $cluster on every query, $__rate_interval in every rate/increase. Agent dashboards
select job="driftwatch-agent" so that the hub's series (its own job) never mix in; the fleet overview selects
job="driftwatch-hub" with a multi-value $cluster (cluster=~"$cluster"). Hub gauges are computed from the shared store,
so every hub replica exports the same values: aggregate them with max by (...); hub counters and histograms count what
each replica received: sum them.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DS = {"type": "prometheus", "uid": "${datasource}"}
AGENT = 'job="driftwatch-agent", cluster="$cluster"'
HUB = 'job="driftwatch-hub", cluster=~"$cluster"'
HUB_URL_DEFAULT = "http://driftwatch-hub.driftwatch.svc:8443"
CONSOLE_URL_DEFAULT = "http://localhost:8443/console/"


def console_url_var():
    return textbox_var("console_url", "Console URL", CONSOLE_URL_DEFAULT,
                       "The driftwatch console as people reach it (the hub's console.externalUrl + /console/), "
                       "for the links that open a drift in the console.")


def console_object_link(cluster):
    """A data link to one drifted object in the console (#/object resolves it to its open drift)."""
    fields = "".join("&%s=${__data.fields.%s:percentencode}" % (f, f) for f in ("namespace", "kind", "name"))
    return {"title": "Open this drift in the driftwatch console", "targetBlank": True,
            "url": "${console_url}#/object?cluster=" + cluster + fields}


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


def textbox_var(name, label, default, description):
    return {"name": name, "label": label, "type": "textbox", "query": default, "description": description,
            "current": {"selected": False, "text": default, "value": default}, "hide": 0,
            "options": [{"selected": True, "text": default, "value": default}]}


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
                      query_var("app", "App", 'label_values(driftwatch_desired_resources{%s}, app)' % AGENT, True),
                      console_url_var()],
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
            panel("timeseries", "Drifted resources by cause",
                  [target('sum by (cause) (driftwatch_drifted_resources{%s})' % sel, "{{cause}}")],
                  "Why resources drifted: out-of-band, unknown-manager (a client nobody classified), pending-sync, "
                  "controller, admission, unknown; deleted or not-yet-applied for missing objects; orphaned for extra "
                  "objects the applier will never delete (docs/runbook.md says what to do with each)."),
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
                                                        "Value #E": "Since last load (s)"}}}],
                  width=24),
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
                  [target('time() - max by (namespace, kind, name, app, type, cause, manager) '
                          '(driftwatch_drift_started_timestamp_seconds{%s})' % sel, table=True)],
                  "Every open drift exported as a per-drift series (capped by metrics.maxDriftSeries), with its "
                  "cause, the field manager that wrote it and its age. Each row opens the drift in the console.",
                  unit="s",
                  fieldConfig={"defaults": {"unit": "s", "links": [console_object_link("${cluster:percentencode}")]},
                               "overrides": []},
                  transformations=[{"id": "organize", "options": {
                      "excludeByName": {"Time": True},
                      "indexByName": {"namespace": 0, "kind": 1, "name": 2, "app": 3, "type": 4, "cause": 5,
                                      "manager": 6, "Value": 7},
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
            panel("timeseries", "Watch events by kind",
                  [target('sum by (instance, kind, event) (rate(driftwatch_watch_events_total{%s}[$__rate_interval]))' % sel,
                          "{{instance}} {{kind}} {{event}}")],
                  "Watch notifications the informers receive per second (added, updated, deleted; unchanged: replays "
                  "of a resourceVersion already held). Above zero on a cluster nobody changes means its controllers "
                  "are writing.", unit="ops"),
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


def fleet_overview():
    open_drifts = 'max by (cluster, namespace, kind, app, type, cause) (driftwatch_hub_open_drifts{%s})' % HUB
    resolve = 'sum by (le) (rate(driftwatch_hub_drift_time_to_resolve_seconds_bucket{%s}[$__rate_interval]))' % HUB
    api = "${hub_url}/api/v1"
    return {
        "title": "driftwatch / Fleet overview",
        "description": "Every cluster's drift as the driftwatch hub sees it (hub metrics, job driftwatch-hub).",
        "variables": [datasource_var(),
                      query_var("cluster", "Cluster",
                                'label_values(driftwatch_hub_agent_up{job="driftwatch-hub"}, cluster)', True),
                      textbox_var("hub_url", "Hub URL", HUB_URL_DEFAULT,
                                  "Base URL of the hub API for the links (the API wants a read token: open them "
                                  "through a proxy that adds it, or with curl -H 'Authorization: Bearer ...')."),
                      console_url_var()],
        "links": [{"title": "Hub API: " + what, "type": "link", "url": api + path, "icon": "external link",
                   "targetBlank": True, "tooltip": tip}
                  for what, path, tip in [
                      ("clusters", "/clusters", "Every cluster: labels, agent, last seen, source health"),
                      ("open drifts", "/drifts", "Open drifts of the fleet, filterable by cluster, app, kind, type"),
                      ("history", "/events", "Drift events, newest first")]],
        "panels": [
            row("Fleet now"),
            stat("Clusters", 'count(max by (cluster) (driftwatch_hub_cluster_info{%s}))' % HUB,
                 "Clusters that have reported to the hub."),
            stat("Agents not reporting", 'count(max by (cluster) (driftwatch_hub_agent_up{%s}) == 0) or vector(0)' % HUB,
                 "Clusters whose agent has not reached the hub within agentDownAfter "
                 "(DriftwatchClusterNotReporting).", thresholds=GREEN_RED),
            stat("Open drifts", 'sum(%s) or vector(0)' % open_drifts,
                 "Resources that differ from their desired state, over the selected clusters.", thresholds=GREEN_RED),
            stat("Oldest open drift", 'max(max by (cluster) (driftwatch_hub_oldest_open_drift_age_seconds{%s}))' % HUB,
                 "Age of the oldest open drift in the selected clusters (0: none).", unit="s"),
            panel("table", "Clusters and agents",
                  [target('max by (cluster) (driftwatch_hub_agent_up{%s})' % HUB, ref="A", table=True),
                   target('time() - max by (cluster) (driftwatch_hub_agent_last_seen_timestamp_seconds{%s})' % HUB,
                          ref="B", table=True),
                   target('sum by (cluster) (%s) or max by (cluster) (driftwatch_hub_agent_up{%s}) * 0'
                          % (open_drifts, HUB), ref="C", table=True),
                   target('max by (cluster) (driftwatch_hub_oldest_open_drift_age_seconds{%s})' % HUB, ref="D",
                          table=True)],
                  "Per cluster: agent reporting (1/0), seconds since its last push, open drifts, oldest drift age. "
                  "The cluster name links to its open drifts in the console and in the hub API.",
                  transformations=[{"id": "merge", "options": {}},
                                   {"id": "organize", "options": {
                                       "excludeByName": {"Time": True},
                                       "renameByName": {"Value #A": "Agent up", "Value #B": "Since last push (s)",
                                                        "Value #C": "Open drifts", "Value #D": "Oldest drift (s)"}}}],
                  fieldConfig={"defaults": {}, "overrides": [
                      {"matcher": {"id": "byName", "options": "cluster"},
                       "properties": [{"id": "links", "value": [
                           {"title": "Open drifts of ${__value.text} in the console", "targetBlank": True,
                            "url": "${console_url}#/fleet?cluster=${__value.text:percentencode}"},
                           {"title": "Open drifts of ${__value.text} (hub API)", "targetBlank": True,
                            "url": api + "/drifts?cluster=${__value.text}"}]}]}]},
                  width=24),
            row("Where the drift is"),
            panel("timeseries", "Open drifts by cluster",
                  [target('sum by (cluster) (%s)' % open_drifts, "{{cluster}}")], "Drifted resources per cluster."),
            panel("timeseries", "Open drifts by app",
                  [target('sum by (cluster, app) (%s)' % open_drifts, "{{cluster}} {{app}}")],
                  "Drifted resources per app (an app is named by the agent's configuration)."),
            panel("timeseries", "Open drifts by kind",
                  [target('sum by (kind) (%s)' % open_drifts, "{{kind}}")], "Which kinds of objects drift."),
            panel("timeseries", "Open drifts by type",
                  [target('sum by (type) (%s)' % open_drifts, "{{type}}")],
                  "modified (live differs), missing (desired but absent), extra (live but not desired)."),
            panel("timeseries", "Open drifts by cause",
                  [target('sum by (cause) (%s)' % open_drifts, "{{cause}}")],
                  "Why: out-of-band, unknown-manager (a client nobody classified), pending-sync, controller, "
                  "admission, unknown; deleted or not-yet-applied for missing objects; orphaned for extra objects the "
                  "applier will never delete (empty: opened before the hub stored causes, until the drift's next "
                  "event)."),
            panel("timeseries", "Oldest open drift by cluster",
                  [target('max by (cluster) (driftwatch_hub_oldest_open_drift_age_seconds{%s})' % HUB, "{{cluster}}")],
                  "Age of each cluster's oldest open drift (DriftwatchDriftOpenTooLong fires at 1 h).", unit="s"),
            row("Drift flow"),
            panel("timeseries", "Drifts opened and resolved",
                  [target('sum by (event) (rate(driftwatch_hub_drift_events_total{%s, event=~"opened|resolved"}'
                          '[$__rate_interval]))' % HUB, "{{event}}")],
                  "Drift events per second received by the hub (all replicas; re-sent events are not counted).",
                  unit="ops"),
            panel("timeseries", "Drifts opened by cluster",
                  [target('sum by (cluster) (rate(driftwatch_hub_drift_events_total{%s, event="opened"}'
                          '[$__rate_interval]))' % HUB, "{{cluster}}")],
                  "Where new drift comes from.", unit="ops"),
            panel("timeseries", "Time to resolve",
                  [target('histogram_quantile(0.5, %s)' % resolve, "p50", "A"),
                   target('histogram_quantile(0.9, %s)' % resolve, "p90", "B"),
                   target('histogram_quantile(0.99, %s)' % resolve, "p99", "C")],
                  "How long drifts resolved in the interval had been open (resolvedAt - onset); empty while "
                  "nothing resolves.", unit="s"),
            panel("timeseries", "Drifts resolved by cluster",
                  [target('sum by (cluster) (rate(driftwatch_hub_drift_events_total{%s, event="resolved"}'
                          '[$__rate_interval]))' % HUB, "{{cluster}}")],
                  "Reverted by hand, by a GitOps sync, or made desired by a Git change.", unit="ops"),
            row("Drift list"),
            panel("table", "Current drifts",
                  [target('time() - max by (cluster, namespace, kind, name, app, type, cause, manager) '
                          '(driftwatch_hub_drift_started_timestamp_seconds{%s})' % HUB, table=True)],
                  "Every open drift of the selected clusters with its cause, the field manager that wrote it and its "
                  "age, from "
                  "the hub's per-drift series (the oldest metrics.maxDriftSeries drifts; "
                  "DriftwatchHubDriftSeriesCapReached says when some are left out). Each row opens the drift in the console "
                  "and links to the hub API.",
                  unit="s",
                  transformations=[{"id": "organize", "options": {
                      "excludeByName": {"Time": True},
                      "indexByName": {"cluster": 0, "namespace": 1, "kind": 2, "name": 3, "app": 4, "type": 5,
                                      "cause": 6, "manager": 7, "Value": 8},
                      "renameByName": {"Value": "Age"}}}],
                  fieldConfig={"defaults": {"unit": "s", "links": [
                      console_object_link("${__data.fields.cluster:percentencode}"),
                      {"title": "This object's open drifts (hub API)", "targetBlank": True,
                       "url": api + "/drifts?cluster=${__data.fields.cluster}&namespace=${__data.fields.namespace}"
                              "&kind=${__data.fields.kind}&app=${__data.fields.app}"},
                      {"title": "Drift history of the cluster (hub API)", "targetBlank": True,
                       "url": api + "/events?cluster=${__data.fields.cluster}"}]},
                      "overrides": []},
                  width=24, height=10),
        ],
    }


DASHBOARDS = {"cluster-detail": cluster_detail, "agent-internals": agent_internals, "fleet-overview": fleet_overview}


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
             "includeVars": True, "keepTime": True}] + spec.get("links", []),
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


def dashboard_config_maps(dashboards):
    docs = []
    for name, text in dashboards.items():
        body = "".join("    " + line if line.strip() else line for line in text.splitlines(keepends=True))
        docs.append("apiVersion: v1\n"
                    "kind: ConfigMap\n"
                    "metadata:\n"
                    f"  name: driftwatch-dashboard-{name}\n"
                    "  namespace: driftwatch\n"
                    "  labels:\n"
                    "    app.kubernetes.io/name: driftwatch\n"
                    "    app.kubernetes.io/part-of: driftwatch\n"
                    "    grafana_dashboard: \"1\"\n"
                    "data:\n"
                    f"  {name}.json: |\n" + body)
    return ("# Generated by scripts/generate-observability.py from dashboards/: edit the generator.\n"
            "# One ConfigMap per dashboard, labelled for Grafana's dashboard sidecar (grafana_dashboard: \"1\").\n"
            + "---\n".join(docs))


def outputs():
    dashboards = {name: json.dumps(dashboard(name, build()), indent=2) + "\n" for name, build in DASHBOARDS.items()}
    files = {ROOT / "dashboards" / (name + ".json"): text for name, text in dashboards.items()}
    files.update({ROOT / "charts" / "driftwatch" / "files" / "dashboards" / (name + ".json"): text
                  for name, text in dashboards.items()})
    files[ROOT / "k8s" / "monitoring" / "130-PrometheusRule-driftwatch.yaml"] = prometheus_rule()
    files[ROOT / "k8s" / "monitoring" / "140-ConfigMap-driftwatch-dashboards.yaml"] = dashboard_config_maps(dashboards)
    files[ROOT / "charts" / "driftwatch" / "files" / "driftwatch.rules.yaml"] = (
        ROOT / "alerts" / "driftwatch.rules.yaml").read_text()
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
