{{/*
Naming, label and annotation helpers (Bitnami pattern, namespaced "microservice.").
*/}}

{{/* Chart name, overridable so one chart can back differently named services. */}}
{{- define "microservice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource base name: DNS labels stop at 63 characters, and "<release>-<release>" would be noise. */}}
{{- define "microservice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Chart name and version as a label value ("+" is not allowed in labels). */}}
{{- define "microservice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The image tag as a label value: labels must start and end alphanumerically and stop at 63 characters. */}}
{{- define "microservice.version" -}}
{{- $tag := regexReplaceAll "^[^A-Za-z0-9]+" .Values.image.tag "" | trunc 63 -}}
{{- regexReplaceAll "[^A-Za-z0-9]+$" $tag "" -}}
{{- end -}}

{{/* Selector labels: ONLY name and instance, because selectors are immutable and must survive upgrades. */}}
{{- define "microservice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "microservice.name" . | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end -}}

{{/* Labels on every object: recommended app.kubernetes.io set plus ownership labels for cost and policy reports. */}}
{{- define "microservice.labels" -}}
{{ include "microservice.selectorLabels" . }}
app.kubernetes.io/version: {{ include "microservice.version" . | quote }}
app.kubernetes.io/component: {{ .Values.metadata.component | quote }}
app.kubernetes.io/part-of: {{ .Values.metadata.partOf | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
helm.sh/chart: {{ include "microservice.chart" . | quote }}
environment: {{ .Values.metadata.environment | quote }}
team: {{ .Values.metadata.team | quote }}
cost-center: {{ .Values.metadata.costCenter | quote }}
{{- end -}}

{{/* Annotations on every object, so whoever finds a resource knows what it is and whom to call. */}}
{{- define "microservice.annotations" -}}
description: {{ .Values.metadata.description | quote }}
owner: {{ .Values.metadata.owner | quote }}
contact: {{ .Values.metadata.contact | quote }}
documentation: {{ .Values.metadata.documentation | quote }}
incident-channel: {{ .Values.metadata.incidentChannel | quote }}
{{- end -}}

{{/* ServiceAccount the pods run as: the chart's own when created, else the named or namespace default one. */}}
{{- define "microservice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "microservice.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Dapr app id, defaulting to the fullname so service invocation names match Service names. */}}
{{- define "microservice.daprAppId" -}}
{{- default (include "microservice.fullname" .) .Values.dapr.appId -}}
{{- end -}}

{{/* Image reference: a digest pins the exact bytes, so it replaces the tag when set. */}}
{{- define "microservice.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret loaded with envFrom, if any: the rendered one or an existing one. */}}
{{- define "microservice.envSecretName" -}}
{{- if .Values.secret.create -}}
{{- include "microservice.fullname" . -}}
{{- else -}}
{{- .Values.secret.existingSecretName -}}
{{- end -}}
{{- end -}}

{{/* Cross-field rules of components/chart-values.ts that JSON Schema cannot express, for chart users outside the Pulumi program. */}}
{{- define "microservice.validateValues" -}}
{{- if and .Values.secret.create .Values.secret.existingSecretName -}}
{{- fail "secret.create and secret.existingSecretName are mutually exclusive; set one of them" -}}
{{- end -}}
{{- if and (not .Values.dapr.enabled) (or .Values.dapr.subscriptions .Values.dapr.components) -}}
{{- fail "dapr.subscriptions and dapr.components need dapr.enabled: true" -}}
{{- end -}}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) -}}
{{- fail (printf "autoscaling.minReplicas (%v) must not exceed autoscaling.maxReplicas (%v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) -}}
{{- end -}}
{{- if and .Values.ingress.tls.enabled (not (and .Values.ingress.host .Values.ingress.tls.secretName)) -}}
{{- fail "ingress.tls.enabled needs both ingress.host and ingress.tls.secretName" -}}
{{- end -}}
{{- end -}}

{{/* Probe handler shared by readiness and liveness, so both always check the same port (the named http port). */}}
{{- define "microservice.probeHandler" -}}
{{- if eq .Values.probes.type "tcp" -}}
tcpSocket:
  port: http
{{- else -}}
httpGet:
  path: {{ .Values.probes.path | quote }}
  port: http
{{- end -}}
{{- end -}}
