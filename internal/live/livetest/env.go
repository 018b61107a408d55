package livetest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Options configures Start. The zero value installs the ArgoCD and External
// Secrets CRDs and nothing else.
type Options struct {
	// CRDPaths are further CRD files or directories to install.
	CRDPaths []string
	// SkipExternalSecrets leaves out the External Secrets CRDs, the one
	// asset that may need a module download on a fresh machine.
	SkipExternalSecrets bool
}

// Env is a running kube-apiserver + etcd with the CRDs installed.
type Env struct {
	// Config reaches the API server as an administrator.
	Config *rest.Config
	// Dynamic is a dynamic client built from Config.
	Dynamic dynamic.Interface
	// Mapper maps kinds to resources through the server's discovery,
	// CRDs included; Create and Get use it.
	Mapper *restmapper.DeferredDiscoveryRESTMapper
	// Kubeconfig is a kubeconfig file for Config (current context
	// "envtest"), for tests that run the CLI as a user would.
	Kubeconfig string
	// AssetsDir holds the kube-apiserver, etcd and, when built, kubectl
	// binaries in use.
	AssetsDir string

	t       testing.TB // Stop logs its timing here
	env     *envtest.Environment
	stopped bool
}

// controlPlaneTimeout bounds each of etcd's and kube-apiserver's start and
// stop, and the wait for the CRDs to be served. envtest's defaults (20 s,
// 10 s) are too tight on a loaded 2-core CI machine; a healthy start takes
// a few seconds.
const controlPlaneTimeout = 2 * time.Minute

// Start starts kube-apiserver and etcd, installs the CRDs and waits until
// they are served, and registers Stop with t.Cleanup. It skips the test
// when the binaries are missing (fails it when $CI is set) and fails it on
// any other error.
func Start(t *testing.T, opts Options) *Env {
	t.Helper()
	dir := assetsDir(t)
	crds := crdPaths(t, opts)

	noExisting := false
	te := &envtest.Environment{
		// Never attach to a real cluster, whatever USE_EXISTING_CLUSTER says:
		// tests create objects.
		UseExistingCluster:    &noExisting,
		BinaryAssetsDirectory: dir,
		CRDInstallOptions: envtest.CRDInstallOptions{
			Paths:              crds,
			ErrorIfPathMissing: true,
			// envtest waits 10 s by default for the CRDs to be served,
			// which a loaded machine can exceed.
			MaxTime: controlPlaneTimeout,
		},
		ControlPlaneStartTimeout: controlPlaneTimeout,
		ControlPlaneStopTimeout:  controlPlaneTimeout,
	}
	began := time.Now()
	cfg, err := te.Start()
	if err != nil {
		// Stop whatever did start: a half-started etcd would outlive the test.
		_ = te.Stop()
		t.Fatalf("livetest: starting envtest with %s: %v", dir, err)
	}
	e := &Env{Config: cfg, AssetsDir: dir, t: t, env: te}
	t.Cleanup(func() {
		if err := e.Stop(); err != nil {
			t.Errorf("livetest: %v", err)
		}
	})
	t.Logf("livetest: kube-apiserver + etcd from %s up with %d CRD files in %s", dir, len(crds), time.Since(began).Round(time.Millisecond))

	if e.Dynamic, err = dynamic.NewForConfig(cfg); err != nil {
		t.Fatalf("livetest: dynamic client: %v", err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatalf("livetest: discovery client: %v", err)
	}
	e.Mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	e.Kubeconfig = writeKubeconfig(t, cfg)
	return e
}

// Stop stops kube-apiserver and etcd. Start registers it with t.Cleanup;
// calling it earlier is allowed and later calls do nothing.
func (e *Env) Stop() error {
	if e.stopped {
		return nil
	}
	e.stopped = true
	began := time.Now()
	if err := e.env.Stop(); err != nil {
		return fmt.Errorf("stopping envtest: %w", err)
	}
	e.t.Logf("livetest: stopped in %s", time.Since(began).Round(time.Millisecond))
	return nil
}

// writeKubeconfig writes a kubeconfig for cfg into t.TempDir() and returns
// its path.
func writeKubeconfig(t *testing.T, cfg *rest.Config) string {
	t.Helper()
	kc := clientcmdapi.NewConfig()
	kc.Clusters["envtest"] = &clientcmdapi.Cluster{
		Server:                   cfg.Host,
		CertificateAuthorityData: cfg.CAData,
	}
	kc.AuthInfos["envtest"] = &clientcmdapi.AuthInfo{
		ClientCertificateData: cfg.CertData,
		ClientKeyData:         cfg.KeyData,
		Token:                 cfg.BearerToken,
	}
	kc.Contexts["envtest"] = &clientcmdapi.Context{Cluster: "envtest", AuthInfo: "envtest", Namespace: "default"}
	kc.CurrentContext = "envtest"
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatalf("livetest: writing kubeconfig: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatalf("livetest: %v", err)
	}
	return path
}
