package report

import (
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// fixture is a realistic Result: a Job missing from one env (guard evidence,
// template fix), a slow HPA, a live drift with no source line, an info
// finding, a Secret-related finding showing only key names and a hash, and
// a repository-wide finding of no app.
func fixture() *Result {
	fs := []finding.Finding{
		{
			Check: "env-missing-object", Severity: finding.Error, App: "web", Env: "prod",
			Object:   finding.ObjectRef{Group: "batch", Version: "v1", Kind: "Job", Namespace: "web-prod", Name: "web-migrate"},
			Location: finding.Location{File: "charts/web/templates/migrate-job.yaml", Line: 1, Column: 1},
			Message:  "Job web-migrate is rendered for staging but not for prod",
			Evidence: []finding.Evidence{
				{Label: "guard", Value: "{{- if and .Values.migrations.enabled (eq .Values.env \"staging\") }}", At: finding.Location{File: "charts/web/templates/migrate-job.yaml", Line: 1, Column: 1}},
				{Label: "env", Value: "prod", At: finding.Location{File: "envs/prod/values.yaml", Line: 2}},
				{Label: "rendered in", Value: "staging"},
			},
			Impact: "Database migrations never run in prod; new pods start against the old schema.",
			Fixes: []finding.Fix{{
				Title: "Drop the env condition from the guard", Kind: finding.FixTemplate, File: "charts/web/templates/migrate-job.yaml",
				Patch: "--- a/charts/web/templates/migrate-job.yaml\n+++ b/charts/web/templates/migrate-job.yaml\n@@ -1 +1 @@\n-{{- if and .Values.migrations.enabled (eq .Values.env \"staging\") }}\n+{{- if .Values.migrations.enabled }}\n",
				Edits: []finding.Edit{{
					File: "charts/web/templates/migrate-job.yaml", Op: finding.OpReplaceText,
					Old: "{{- if and .Values.migrations.enabled (eq .Values.env \"staging\") }}", Value: "{{- if .Values.migrations.enabled }}",
					At: finding.Location{Line: 1, Column: 1},
				}},
			}},
		},
		{
			Check: "hpa-slow-scale-down", Severity: finding.Warning, App: "web", Env: "prod",
			Object:   finding.ObjectRef{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler", Namespace: "web-prod", Name: "web"},
			Location: finding.Location{File: "envs/prod/values.yaml", Line: 23, Column: 7},
			Message:  "Scaling down from 40 to 4 replicas takes 51m after load drops",
			Evidence: []finding.Evidence{
				{Label: "scaleDown.stabilizationWindowSeconds", Value: "900", At: finding.Location{File: "envs/prod/values.yaml", Line: 23, Column: 7}},
				{Label: "scaleDown.policies[0]", Value: "Pods 1 per 60s", At: finding.Location{File: "envs/prod/values.yaml", Line: 25, Column: 9}},
				{Label: "simulated", Value: "40 → 4 replicas in 51m0s"},
			},
			Impact: "About 36 idle pods are paid for during each scale-down.",
			Fixes: []finding.Fix{{
				Title: "Allow 10 pods per minute", Kind: finding.FixYAML, File: "envs/prod/values.yaml",
				Patch: "autoscaling:\n  behavior:\n    scaleDown:\n      policies:\n        - type: Pods\n          value: 10\n          periodSeconds: 60\n",
				Edits: []finding.Edit{{File: "envs/prod/values.yaml", Path: "autoscaling.behavior.scaleDown.policies[0].value", Op: finding.OpSet, Value: "10"}},
			}},
		},
		{
			Check: "live-unexplained-drift", Severity: finding.Warning, App: "payments", Env: "prod",
			Object:  finding.ObjectRef{Group: "apps", Version: "v1", Kind: "Deployment", Namespace: "payments", Name: "payments-api"},
			Message: "spec.replicas is 6 in the cluster and 3 in Git; it is written by manager \"kubectl-scale\"",
			Evidence: []finding.Evidence{
				{Label: "field", Value: "/spec/replicas"},
				{Label: "manager", Value: "kubectl-scale (Update)"},
			},
			Fixes: []finding.Fix{{
				Title: "Ignore spec.replicas in the Application", Kind: finding.FixYAML, File: "apps/payments-prod.yaml",
				Patch: "spec:\n  ignoreDifferences:\n    - group: apps\n      kind: Deployment\n      jsonPointers:\n        - /spec/replicas\n",
			}},
		},
		{
			Check: "values-unused-key", Severity: finding.Info, App: "web", Env: "staging",
			Location: finding.Location{File: "envs/staging/values.yaml", Line: 9, Column: 3},
			Message:  "Key resources.limit is never read by chart web (did you mean resources.limits?)",
			Evidence: []finding.Evidence{{Label: "closest key read", Value: "resources.limits", At: finding.Location{File: "charts/web/templates/deployment.yaml", Line: 41}}},
		},
		{
			Check: "secret-no-rollout", Severity: finding.Warning, App: "payments", Env: "prod",
			Object:   finding.ObjectRef{Version: "v1", Kind: "Secret", Namespace: "payments", Name: "payments-db"},
			Location: finding.Location{File: "charts/payments/templates/deployment.yaml"},
			Message:  "Pods of payments-api read Secret payments-db but are not restarted when it changes",
			Evidence: []finding.Evidence{
				{Label: "keys", Value: "DB_PASSWORD, DB_USER"},
				{Label: "data sha256", Value: "9f2c41d07b3e5a86"},
				{Label: "consumed by", Value: "envFrom of container api", At: finding.Location{File: "charts/payments/templates/deployment.yaml", Line: 38, Column: 11}},
			},
			Impact: "A rotated password reaches the pods only at their next unrelated restart.",
			Fixes: []finding.Fix{{
				Title: "Add a checksum annotation to the pod template", Kind: finding.FixTemplate, File: "charts/payments/templates/deployment.yaml",
				Patch: "--- a/charts/payments/templates/deployment.yaml\n+++ b/charts/payments/templates/deployment.yaml\n@@ -14,2 +14,3 @@\n     metadata:\n       annotations:\n+        checksum/secret: {{ include (print $.Template.BasePath \"/secret.yaml\") . | sha256sum }}\n",
				Edits: []finding.Edit{{
					File: "charts/payments/templates/deployment.yaml", Op: finding.OpReplaceText,
					Old:   "    metadata:\n      annotations:\n",
					Value: "    metadata:\n      annotations:\n        checksum/secret: {{ include (print $.Template.BasePath \"/secret.yaml\") . | sha256sum }}\n",
					At:    finding.Location{File: "charts/payments/templates/deployment.yaml", Line: 14, Column: 1},
				}},
			}},
		},
		{
			Check: "app-shared-destination", Severity: finding.Error,
			Location: finding.Location{File: "apps/web-prod.yaml", Line: 12, Column: 5},
			Message:  "Applications web-prod and legacy-web both deploy to namespace web-prod on https://kubernetes.default.svc",
			Evidence: []finding.Evidence{{Label: "other Application", Value: "legacy-web", At: finding.Location{File: "apps/legacy/web.yaml", Line: 14, Column: 5}}},
			Impact:   "Each sync prunes the other Application's objects.",
		},
	}
	return &Result{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "syncdoctor", Version: "0.1.0"},
		Root:          "/home/dev/gitops",
		GeneratedAt:   time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		Checks: []CheckInfo{
			{ID: "app-shared-destination", Summary: "Two Applications deploy to the same namespace", Doc: "Two Applications that manage the same namespace prune each other's objects.\n\nGive each a namespace of its own.", HelpURI: "https://github.com/syncdoctor/syncdoctor/blob/main/docs/checks.md#app-shared-destination", Severity: finding.Error},
			{ID: "env-missing-object", Summary: "An object renders in some environments but not others", Doc: "A template guard that depends on the environment drops the object in some environments.", HelpURI: "https://github.com/syncdoctor/syncdoctor/blob/main/docs/checks.md#env-missing-object", Severity: finding.Error},
			{ID: "hpa-slow-scale-down", Summary: "An HPA scales down much slower than it scales up", Doc: "Simulates the HPA v2 controller with the configured `behavior`.", Severity: finding.Warning},
			{ID: "live-unexplained-drift", Summary: "A live field differs from Git", Doc: "Compares the live object with the rendered one as ArgoCD does.", Severity: finding.Warning},
			{ID: "secret-no-rollout", Summary: "Pods are not restarted when a Secret they read changes", Severity: finding.Warning},
			{ID: "values-unused-key", Summary: "A values key is never read by the chart", Severity: finding.Info},
		},
		Targets: []TargetSummary{
			{App: "payments", Env: "prod", Chart: "charts/payments", ValueFiles: []string{"charts/payments/values.yaml", "envs/prod/payments.yaml"}, Objects: 7},
			{App: "payments", Env: "staging", Chart: "charts/payments", ValueFiles: []string{"charts/payments/values.yaml"}, Error: "render charts/payments: template: payments/templates/cm.yaml:7:3: executing \"payments/templates/cm.yaml\" at <.Values.db.host>: nil pointer evaluating interface {}.host"},
			{App: "web", Env: "prod", Chart: "charts/web", ValueFiles: []string{"envs/prod/values.yaml"}, Objects: 12, Series: webSeries()},
			{App: "web", Env: "staging", Chart: "charts/web", ValueFiles: []string{"envs/staging/values.yaml"}, Objects: 13},
		},
		Findings: finding.SortAndDedupe(fs),
		Problems: []Problem{{Location: finding.Location{File: "apps/broken.yaml", Line: 3}, Message: "yaml: mapping values are not allowed in this context"}},
	}
}

// clean returns a Result with targets and no findings.
func cleanResult() *Result {
	r := fixture()
	r.Findings, r.Problems = nil, nil
	r.Targets = r.Targets[:1]
	r.Targets[0].ValueFiles = nil
	return r
}

// webSeries is the simulated scale-down and scale-up of the slow HPA of
// the fixture: a 900 s window, then 1 pod per 60 s down; the default
// scale-up policies (4 pods or 100 % per 15 s) up.
func webSeries() []HPASeries {
	ref := finding.ObjectRef{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler", Namespace: "web-prod", Name: "web"}
	down := HPASeries{Object: ref, Label: "web", Direction: "down", Min: 4, Max: 12, Seconds: 1320, Reached: true,
		Points: []SeriesPoint{{Seconds: 0, Replicas: 12, LimitedBy: "stabilization window"}}}
	for i := range 8 {
		by := "policy Pods 1/60s"
		if i == 7 {
			by = "minReplicas"
		}
		down.Points = append(down.Points, SeriesPoint{Seconds: float64(900 + 60*i), Replicas: 11 - i, LimitedBy: by})
	}
	up := HPASeries{Object: ref, Label: "web", Direction: "up", Min: 4, Max: 12, Seconds: 30, Reached: true,
		Points: []SeriesPoint{
			{Seconds: 0, Replicas: 4},
			{Seconds: 0, Replicas: 8, LimitedBy: "policy Percent 100/15s"},
			{Seconds: 15, Replicas: 12, LimitedBy: "maxReplicas"},
			{Seconds: 30, Replicas: 12},
		}}
	return []HPASeries{down, up}
}
