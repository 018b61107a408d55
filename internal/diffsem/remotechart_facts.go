package diffsem

// The catalog. Each fact was read from the chart's template at the tags
// cited, and its Modes from gitops-engine pkg/diff (argo-cd v3.5.7):
//   - client-side diff (the default): kinds in client-go's scheme
//     (admissionregistration, core) are remarshalled and defaulted, others
//     (apiregistration's APIService) are compared as unstructured JSON; a
//     three-way merge patch sets every field desired declares, so a
//     declared field the cluster changed drifts and a live-only one never
//     does (diff.go Diff, ThreeWayDiff, remarshal);
//   - ServerSideApply=true: structured merge diff, desired applied over
//     live as argocd-controller; other managers' fields stay, declared
//     ones win (diff.go StructuredMergeDiff);
//   - ServerSideDiff=true: the API server's dry-run apply result, which
//     the server serializes through its Go types (diff.go serverSideDiff).
// argo-cd v3.5.7 ships no built-in ignoreDifferences for APIService or
// webhook caBundle fields (util/settings, util/argo/normalizers); the
// checkout's argocd-cm rules are applied by Compare.

const (
	repoMetricsServer = "https://kubernetes-sigs.github.io/metrics-server"
	repoKEDA          = "https://kedacore.github.io/charts"
	repoEKS           = "https://aws.github.io/eks-charts"
	repoJetstack      = "https://charts.jetstack.io"
)

// Placeholders for generated certificates (base64 of "certificate from
// render 1" and "... 2"): what two renders produce, never real material.
const (
	render1 = "Y2VydGlmaWNhdGUgZnJvbSByZW5kZXIgMQ=="
	render2 = "Y2VydGlmaWNhdGUgZnJvbSByZW5kZXIgMg=="
	// injected stands for the CA a controller writes.
	injected = "Y2EgaW5qZWN0ZWQgaW4gdGhlIGNsdXN0ZXI="
)

const (
	modesDeclaredWins = "every diff mode: the field is declared in desired, so the three-way patch, the structured merge (argocd-controller takes the field back) and the server-side dry run all restore the chart's value"
	modesLiveOnly     = "no diff mode: desired does not declare the field, and every mode keeps fields only the live object has (three-way patch, other managers' fields under structured merge and server-side dry run)"
	modesEachRender   = "every diff mode, after each new render (new commit, hard refresh, manifest cache expiry): desired itself changes; lookup returns nothing under ArgoCD's helm template, so a keep-the-old-secret branch never runs"
)

// The insecureSkipTLSVerify: false facts say what PredictServerFields says
// of a rendered APIService (serverform.go), so both paths read the same.
var (
	modesOmitEmpty  = omitEmptyModes(false)
	writerOmitEmpty = omitEmptyWriter("insecureSkipTLSVerify", false)
)

var chartFacts = []*ChartFact{
	{
		ID: "metrics-server-tls-helm", Charts: []string{"metrics-server"}, RepoURLs: []string{repoMetricsServer},
		Versions: ">=3.13.0", Source: RenderedEachTime,
		Object: "Secret metrics-server, apiregistration.k8s.io/APIService v1beta1.metrics.k8s.io",
		Paths:  []string{"/data/tls.crt", "/data/tls.key", "/spec/caBundle"},
		Writer: "the chart's genSelfSignedCert on every render", Switch: "tls.type=helm (default metrics-server: the pod generates its own certificate)",
		Modes: modesEachRender,
		Evidence: []string{
			"kubernetes-sigs/metrics-server charts/metrics-server/templates/apiservice.yaml at tag metrics-server-helm-chart-3.13.0 (commit 1a64100c): genSelfSignedCert behind tls.type helm, lookup of the previous Secret",
		},
		on: func(v map[string]any) bool {
			return value(v, "tls.type", "metrics-server") == "helm" && truthy(value(v, "apiService.create", true))
		},
		model: func(rel ChartRelease) []ObjectPair {
			name := fullname(rel, "metrics-server")
			secret := func(c string) map[string]any {
				return obj("v1", "Secret", name, rel.Namespace, map[string]any{"type": "Opaque", "data": map[string]any{"tls.crt": c, "tls.key": c}})
			}
			return []ObjectPair{
				{Desired: secret(render2), Live: secret(render1)},
				{Desired: metricsAPIService(rel, render2), Live: metricsAPIService(rel, render1)},
			}
		},
	},
	{
		ID: "metrics-server-insecure-false", Charts: []string{"metrics-server"}, RepoURLs: []string{repoMetricsServer},
		Versions: ">=3.9.0", Source: WrittenInCluster,
		Object: "apiregistration.k8s.io/APIService v1beta1.metrics.k8s.io", Paths: []string{"/spec/insecureSkipTLSVerify"},
		Writer: writerOmitEmpty, Switch: "apiService.insecureSkipTLSVerify=false (default true)", Modes: modesOmitEmpty,
		Evidence: []string{
			"kubernetes-sigs/metrics-server charts/metrics-server/templates/apiservice.yaml at tag metrics-server-helm-chart-3.12.2 (commit 65945d22) line 18: insecureSkipTLSVerify rendered from the value, false included",
			"k8s.io/kube-aggregator pkg/apis/apiregistration/v1/types.go: InsecureSkipTLSVerify bool `json:\"insecureSkipTLSVerify,omitempty\"`",
			"kedacore/charts#550: the same false APIService field OutOfSync under ArgoCD",
		},
		on: func(v map[string]any) bool {
			return value(v, "apiService.insecureSkipTLSVerify", true) == false && truthy(value(v, "apiService.create", true))
		},
		model: func(rel ChartRelease) []ObjectPair {
			insecureFalse := func() map[string]any {
				o := metricsAPIService(rel, "")
				o["spec"].(map[string]any)["insecureSkipTLSVerify"] = false // the fact's switch
				return o
			}
			return []ObjectPair{{Desired: insecureFalse(), Live: serverForm(insecureFalse())}}
		},
	},
	{
		ID: "metrics-server-cert-manager", Charts: []string{"metrics-server"}, RepoURLs: []string{repoMetricsServer},
		Versions: ">=3.13.0", Source: WrittenInCluster, Silent: true,
		Object: "apiregistration.k8s.io/APIService v1beta1.metrics.k8s.io", Paths: []string{"/spec/caBundle"},
		Writer: "cert-manager cainjector (cert-manager.io/inject-ca-from)", Switch: "tls.type=cert-manager",
		Modes: modesLiveOnly,
		Evidence: []string{
			"kubernetes-sigs/metrics-server charts/metrics-server/templates/apiservice.yaml at tag metrics-server-helm-chart-3.13.0: no caBundle rendered with tls.type cert-manager, only the inject-ca-from annotation",
		},
		on: func(v map[string]any) bool { return value(v, "tls.type", "") == "cert-manager" },
		model: func(rel ChartRelease) []ObjectPair {
			d := annotate(metricsAPIService(rel, ""), "cert-manager.io/inject-ca-from", rel.Namespace+"/"+fullname(rel, "metrics-server"))
			l := annotate(metricsAPIService(rel, injected), "cert-manager.io/inject-ca-from", rel.Namespace+"/"+fullname(rel, "metrics-server"))
			return []ObjectPair{{Desired: d, Live: l}}
		},
	},
	{
		ID: "keda-apiservice-insecure-false", Charts: []string{"keda"}, RepoURLs: []string{repoKEDA},
		Versions: ">=2.12.0, <2.13.0", Source: WrittenInCluster,
		Object: "apiregistration.k8s.io/APIService v1beta1.external.metrics.k8s.io", Paths: []string{"/spec/insecureSkipTLSVerify"},
		Writer: writerOmitEmpty, Switch: "none: rendered unconditionally", Modes: modesOmitEmpty,
		Evidence: []string{
			"kedacore/charts keda/templates/metrics-server/apiservice.yaml at tag v2.12.0: `insecureSkipTLSVerify: false` (added in 6d21ddd, #520; removed in 641f2b0, #564, released in 2.13.0)",
			"kedacore/charts#550: v1beta1.external.metrics.k8s.io OutOfSync under ArgoCD after upgrading to 2.12.0",
			"kedacore/keda#4732: ArgoCD ignoreDifferences workaround for the same APIService",
		},
		on: func(map[string]any) bool { return true },
		model: func(rel ChartRelease) []ObjectPair {
			d := kedaAPIService(rel, "")
			d["spec"].(map[string]any)["insecureSkipTLSVerify"] = false
			// Stored without the false, with the CA the operator injects.
			l := kedaAPIService(rel, injected)
			l["spec"].(map[string]any)["insecureSkipTLSVerify"] = false
			return []ObjectPair{{Desired: d, Live: serverForm(l)}}
		},
	},
	{
		ID: "keda-cabundle", Charts: []string{"keda"}, RepoURLs: []string{repoKEDA},
		Versions: ">=2.13.0", Source: WrittenInCluster, Silent: true,
		Object: "apiregistration.k8s.io/APIService v1beta1.external.metrics.k8s.io", Paths: []string{"/spec/caBundle"},
		Writer: "the KEDA operator's certificate rotation (certificates.autoGenerated) or cert-manager's cainjector", Switch: "certificates.autoGenerated, certificates.certManager.enabled",
		Modes: modesLiveOnly,
		Evidence: []string{
			"kedacore/charts keda/templates/metrics-server/apiservice.yaml at tag v2.13.0: no caBundle and no insecureSkipTLSVerify in the template",
		},
		on: func(map[string]any) bool { return true },
		model: func(rel ChartRelease) []ObjectPair {
			return []ObjectPair{{Desired: kedaAPIService(rel, ""), Live: kedaAPIService(rel, injected)}}
		},
	},
	{
		ID: "aws-load-balancer-controller-webhook-genca", Charts: []string{"aws-load-balancer-controller"}, RepoURLs: []string{repoEKS},
		Versions: ">=1.2.3", Source: RenderedEachTime,
		Object: "Secret aws-load-balancer-tls, admissionregistration.k8s.io/MutatingWebhookConfiguration and ValidatingWebhookConfiguration aws-load-balancer-webhook",
		Paths:  []string{"/data/ca.crt", "/data/tls.crt", "/data/tls.key", ".webhooks[].clientConfig.caBundle"},
		Writer: "the chart's genCA and genSignedCert on every render (keepTLSSecret's lookup finds nothing under ArgoCD)",
		Switch: "enableCertManager=false (default) and webhookTLS.caCert/cert/key unset", Modes: modesEachRender,
		Evidence: []string{
			"kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller/templates/_helpers.tpl at tag v2.8.1 (chart 1.8.1, commit e6ce604a), define webhookCerts: genCA unless webhookTLS is set or the looked-up Secret exists",
			"kubernetes-sigs/aws-load-balancer-controller#1828: ArgoCD OutOfSync because the webhook certificates change (maintainer: keys are generated when the template is rendered)",
			"kubernetes-sigs/aws-load-balancer-controller#2071: TLS Secret and both webhooks go in and out of sync",
		},
		on: func(v map[string]any) bool {
			pinned := truthy(value(v, "webhookTLS.caCert", nil)) && truthy(value(v, "webhookTLS.cert", nil)) && truthy(value(v, "webhookTLS.key", nil))
			return !truthy(value(v, "enableCertManager", false)) && !pinned
		},
		model: func(rel ChartRelease) []ObjectPair {
			prefix := albPrefix(rel)
			secret := func(c string) map[string]any {
				return obj("v1", "Secret", prefix+"-tls", rel.Namespace, map[string]any{"type": "kubernetes.io/tls", "data": map[string]any{"ca.crt": c, "tls.crt": c, "tls.key": c}})
			}
			return []ObjectPair{
				{Desired: secret(render2), Live: secret(render1)},
				{Desired: albWebhook(rel, "MutatingWebhookConfiguration", render2), Live: albWebhook(rel, "MutatingWebhookConfiguration", render1)},
				{Desired: albWebhook(rel, "ValidatingWebhookConfiguration", render2), Live: albWebhook(rel, "ValidatingWebhookConfiguration", render1)},
			}
		},
	},
	{
		ID: "aws-load-balancer-controller-cabundle-placeholder", Charts: []string{"aws-load-balancer-controller"}, RepoURLs: []string{repoEKS},
		Versions: ">=1.2.3, <=1.4.1", Source: WrittenInCluster,
		Object: "admissionregistration.k8s.io/MutatingWebhookConfiguration and ValidatingWebhookConfiguration aws-load-balancer-webhook",
		Paths:  []string{".webhooks[].clientConfig.caBundle"},
		Writer: "cert-manager cainjector (cert-manager.io/inject-ca-from), over the chart's placeholder caBundle Cg==",
		Switch: "enableCertManager=true", Modes: modesDeclaredWins,
		Evidence: []string{
			"kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller/templates/webhook.yaml at tag v2.4.2 (chart 1.4.1, commit 77370be7) line 15: caBundle Cg== when enableCertManager; gone at tag v2.4.3 (chart 1.4.4, commit 6d3e976e)",
			"kubernetes-sigs/aws-load-balancer-controller#2312: both webhooks permanently OutOfSync under ArgoCD with cert-manager",
		},
		on: func(v map[string]any) bool { return truthy(value(v, "enableCertManager", false)) },
		model: func(rel ChartRelease) []ObjectPair {
			var out []ObjectPair
			for _, kind := range []string{"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"} {
				ann := rel.Namespace + "/" + albPrefix(rel) + "-serving-cert"
				out = append(out, ObjectPair{
					Desired: annotate(albWebhook(rel, kind, "Cg=="), "cert-manager.io/inject-ca-from", ann),
					Live:    annotate(albWebhook(rel, kind, injected), "cert-manager.io/inject-ca-from", ann),
				})
			}
			return out
		},
	},
	{
		ID: "cert-manager-webhook-cabundle", Charts: []string{"cert-manager"}, RepoURLs: []string{repoJetstack},
		Versions: ">=1.21.0, <1.22.0", Source: WrittenInCluster, Silent: true,
		Object: "admissionregistration.k8s.io/MutatingWebhookConfiguration and ValidatingWebhookConfiguration cert-manager-webhook",
		Paths:  []string{".webhooks[].clientConfig.caBundle"},
		Writer: "cert-manager cainjector (cert-manager.io/inject-ca-from-secret)", Switch: "none", Modes: modesLiveOnly,
		Evidence: []string{
			"cert-manager/cert-manager deploy/charts/cert-manager/templates/webhook-mutating-webhook.yaml at v1.21.2: inject-ca-from-secret annotation, no caBundle rendered",
		},
		on: func(map[string]any) bool { return true },
		model: func(rel ChartRelease) []ObjectPair {
			name := fullname(rel, "cert-manager") + "-webhook"
			d := annotate(webhookConfig("MutatingWebhookConfiguration", name, "webhook.cert-manager.io", rel.Namespace, name, ""), "cert-manager.io/inject-ca-from-secret", rel.Namespace+"/"+name+"-ca")
			l := annotate(webhookConfig("MutatingWebhookConfiguration", name, "webhook.cert-manager.io", rel.Namespace, name, injected), "cert-manager.io/inject-ca-from-secret", rel.Namespace+"/"+name+"-ca")
			return []ObjectPair{{Desired: d, Live: l}}
		},
	},
}

// ChartFacts returns the catalog, silent facts included.
func ChartFacts() []*ChartFact { return chartFacts }

func metricsAPIService(rel ChartRelease, caBundle string) map[string]any {
	spec := map[string]any{
		"group": "metrics.k8s.io", "groupPriorityMinimum": int64(100), "version": "v1beta1", "versionPriority": int64(100),
		"insecureSkipTLSVerify": value(rel.Values, "apiService.insecureSkipTLSVerify", true),
		"service":               map[string]any{"name": fullname(rel, "metrics-server"), "namespace": rel.Namespace, "port": int64(443)},
	}
	if caBundle != "" {
		spec["caBundle"] = caBundle
	}
	return obj("apiregistration.k8s.io/v1", "APIService", "v1beta1.metrics.k8s.io", "", map[string]any{"spec": spec})
}

func kedaAPIService(rel ChartRelease, caBundle string) map[string]any {
	op, _ := value(rel.Values, "operator.name", "keda-operator").(string)
	spec := map[string]any{
		"group": "external.metrics.k8s.io", "groupPriorityMinimum": int64(100), "version": "v1beta1", "versionPriority": int64(100),
		"service": map[string]any{"name": op + "-metrics-apiserver", "namespace": rel.Namespace, "port": int64(443)},
	}
	if caBundle != "" {
		spec["caBundle"] = caBundle
	}
	return obj("apiregistration.k8s.io/v1", "APIService", "v1beta1.external.metrics.k8s.io", "", map[string]any{"spec": spec})
}

// albPrefix is the chart's namePrefix helper: nameOverride, else the chart
// name without "-controller".
func albPrefix(rel ChartRelease) string {
	if o, ok := value(rel.Values, "nameOverride", "").(string); ok && o != "" {
		return trunc63(o)
	}
	return "aws-load-balancer"
}

func albWebhook(rel ChartRelease, kind, caBundle string) map[string]any {
	p := albPrefix(rel)
	hook := "mpod.elbv2.k8s.aws"
	if kind == "ValidatingWebhookConfiguration" {
		hook = "vingress.elbv2.k8s.aws"
	}
	return webhookConfig(kind, p+"-webhook", hook, rel.Namespace, p+"-webhook-service", caBundle)
}

func webhookConfig(kind, name, hook, ns, svc, caBundle string) map[string]any {
	cc := map[string]any{"service": map[string]any{"name": svc, "namespace": ns, "path": "/" + hook}}
	if caBundle != "" {
		cc["caBundle"] = caBundle
	}
	return obj("admissionregistration.k8s.io/v1", kind, name, "", map[string]any{"webhooks": []any{map[string]any{
		"name": hook, "clientConfig": cc, "admissionReviewVersions": []any{"v1"}, "sideEffects": "None",
		"failurePolicy": "Fail", "rules": []any{map[string]any{"apiGroups": []any{""}, "apiVersions": []any{"v1"}, "operations": []any{"CREATE"}, "resources": []any{"pods"}}},
	}}})
}
