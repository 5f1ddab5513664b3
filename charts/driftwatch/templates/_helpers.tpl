{{/* The objects' base name: the release name when it contains the chart's name (helm install driftwatch ...). */}}
{{- define "driftwatch.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 47 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 47 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 47 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "driftwatch.agentName" -}}{{ include "driftwatch.fullname" . }}-agent{{- end -}}
{{- define "driftwatch.hubName" -}}{{ include "driftwatch.fullname" . }}-hub{{- end -}}

{{/* Labels of every object: dict "ctx" $ "name" NAME ["component" COMPONENT] */}}
{{- define "driftwatch.labels" -}}
app.kubernetes.io/name: {{ .name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
app.kubernetes.io/part-of: driftwatch
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version }}
{{- end -}}

{{/* Selector labels: dict "ctx" $ "name" NAME */}}
{{- define "driftwatch.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{- define "driftwatch.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The agent's configuration: agent.config, plus reporting to this release's hub when it has one. */}}
{{- define "driftwatch.agentConfig" -}}
{{- $config := deepCopy .Values.agent.config -}}
{{- if and .Values.hub.enabled .Values.agent.reportToHub (not (hasKey $config "hub")) -}}
{{- $url := printf "http://%s.%s.svc:%v" (include "driftwatch.hubName" .) .Release.Namespace .Values.hub.port -}}
{{- $_ := set $config "hub" (dict "url" $url "tokenFile" "/etc/driftwatch-hub/token" "outboxPath" "/var/lib/driftwatch/hub-outbox.jsonl") -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* The hub's configuration: listen, storage and token entries from the values, then hub.config. */}}
{{- define "driftwatch.hubConfig" -}}
{{- $storage := dict "type" .Values.hub.storage "poolSize" .Values.hub.poolSize -}}
{{- if eq .Values.hub.storage "sqlite" -}}
{{- $_ := set $storage "sqlitePath" "/var/lib/driftwatch/hub.db" -}}
{{- else if eq .Values.hub.storage "postgresql" -}}
{{- $_ := set $storage "postgresUrl" "jdbc:postgresql://postgres:5432/driftwatch" -}}
{{- $_ := set $storage "postgresPasswordFile" "/etc/driftwatch-postgres/password" -}}
{{- else -}}
{{- fail (printf "hub.storage: '%s' is not sqlite or postgresql" .Values.hub.storage) -}}
{{- end -}}
{{- $clusters := list -}}
{{- range .Values.hub.clusters -}}
{{- $clusters = append $clusters (dict "name" . "tokenSha256File" (printf "/etc/driftwatch-hub-tokens/%s" .)) -}}
{{- end -}}
{{- $readers := list -}}
{{- range .Values.hub.readTokens -}}
{{- $readers = append $readers (dict "name" . "tokenSha256File" (printf "/etc/driftwatch-hub-tokens/%s" .)) -}}
{{- end -}}
{{- $config := dict "listen" (dict "host" "0.0.0.0" "port" .Values.hub.port) "storage" $storage "clusters" $clusters "readTokens" $readers -}}
{{- toYaml (mergeOverwrite $config (deepCopy .Values.hub.config)) -}}
{{- end -}}
