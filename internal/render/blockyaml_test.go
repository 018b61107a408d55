package render

import (
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	yamlv2 "go.yaml.in/yaml/v2"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"
)

// blockWant is what a table case expects of decodeBlockYAML beyond the
// contract (ok implies the round trip's value).
type blockWant int

const (
	blockAny      blockWant = iota // either answer
	blockAccept                    // must decode
	blockFallBack                  // must step aside
)

// blockEdgeCases cover every fall-back trigger, the chomping modes,
// quoting, indentation styles and the fuzz failures found so far.
var blockEdgeCases = []struct {
	name string
	doc  string
	want blockWant
}{
	{name: "deployment", doc: benchDoc, want: blockAccept},
	{name: "empty", doc: "", want: blockAccept},
	{name: "comment only", doc: "# Source: x/templates/a.yaml\n\n  # c\n", want: blockAccept},
	{name: "scalar root", doc: "just a string\n", want: blockAccept},
	{name: "int root", doc: "42\n", want: blockAccept},
	{name: "null root", doc: "null\n", want: blockAccept},
	{name: "sequence root", doc: "- 1\n- a\n-\n- - x\n", want: blockFallBack},
	{name: "sequence root flat", doc: "- 1\n- a\n-\n- ''\n", want: blockAccept},
	{name: "indented root", doc: "  a: 1\n  b: 2\n", want: blockAccept},
	{name: "indented root then less", doc: "  a: 1\nb: 2\n", want: blockFallBack},
	{name: "two roots", doc: "a\nb\n", want: blockFallBack},
	{name: "document marker", doc: "---\na: 1\n", want: blockFallBack},
	{name: "document end", doc: "a: 1\n...\n", want: blockFallBack},
	{name: "directive", doc: "%YAML 1.1\n---\na: 1\n", want: blockFallBack},
	{name: "crlf", doc: "a: 1\r\nb: 2\r\n", want: blockFallBack},
	{name: "tab indent", doc: "a:\n\tb: 1\n", want: blockFallBack},
	{name: "tab after colon", doc: "a:\tb\n", want: blockFallBack},
	{name: "tab in value", doc: "a: b\tc\n", want: blockAny},
	{name: "tab in quoted", doc: "a: \"b\tc\"\nb: 'x\ty'\n", want: blockAccept},
	{name: "tab in comment", doc: "a: b # x\ty\n", want: blockAccept},
	{name: "invalid utf8", doc: "a: \xff\n", want: blockFallBack},
	{name: "nel", doc: "a: b\u0085c\n", want: blockFallBack},
	{name: "line separator", doc: "a: b\u2028c\n", want: blockFallBack},
	{name: "bom", doc: "\ufeffa: 1\n", want: blockFallBack},
	{name: "nul", doc: "a: \x00\n", want: blockFallBack},
	{name: "unicode", doc: "a: café ✓ 日本\n\"ключ\": значение\n", want: blockAccept},
	{name: "no final newline", doc: "a: 1\nb: x", want: blockAccept},
	{name: "trailing spaces", doc: "a: b   \nc: 'd'  \ne:   \nf: {}  \n", want: blockAccept},
	{name: "key spaces", doc: "my key: v\nk2  : v2\n", want: blockAccept},
	{name: "comments everywhere", doc: "# top\na: 1 # one\n  # indented\nb:\n# col 0\n  c: 2 #two\n#\nd: e#f\n", want: blockAccept},
	{name: "hash without space", doc: "a: b#c\nd: 'e'#f\n", want: blockFallBack},
	{name: "empty values", doc: "a:\nb: \nc: ~\nd: null\ne: \"\"\nf: ''\n", want: blockAccept},
	{name: "bools", doc: "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: N\ng: true\nh: False\ni: yES\nj: oN\n", want: blockAccept},
	{name: "numbers", doc: "a: 1\nb: -2\nc: 0\nd: 1.5\ne: 1.0\nf: -0.0\ng: 1e3\nh: 1e21\ni: .5\nj: 9223372036854775807\nk: -9223372036854775808\n", want: blockAccept},
	{name: "odd numbers", doc: "a: 0x1F\nb: 0o17\nc: 017\nd: +1\ne: 1_000\nf: 0b101\ng: -0b11\nh: 1e400\ni: 08\nj: 1.e5\nk: +.5\nl: -.5e-3\nm: 1__0\nn: 0x\no: .\np: ._5\nq: 1.2.3\nr: -\n", want: blockAny},
	{name: "big ints", doc: "a: 9223372036854775808\n", want: blockFallBack},
	{name: "huge uint", doc: "a: 18446744073709551616\n", want: blockAny},
	{name: "nan", doc: "a: .nan\n", want: blockFallBack},
	{name: "inf", doc: "a: -.Inf\n", want: blockFallBack},
	{name: "timestamp", doc: "a: 2001-12-14t21:59:43.10-05:00\nb: 2002-12-14\n", want: blockFallBack},
	{name: "not timestamp", doc: "a: 20021-12-14\nb: 2002-1x\nc: 200-1\n", want: blockAny},
	{name: "version strings", doc: "a: 1.2.3\nb: v1\nc: 1.27\nd: \"1.27\"\ne: 1.10\n", want: blockAccept},
	{name: "bool keys", doc: "true: x\n", want: blockFallBack},
	{name: "int keys", doc: "1: a\n", want: blockFallBack},
	{name: "y key", doc: "y: 1\n", want: blockFallBack},
	{name: "null key", doc: "~: 1\n", want: blockFallBack},
	{name: "merge key", doc: "a: {}\n<<: {}\n", want: blockFallBack},
	{name: "quoted merge key", doc: "\"<<\": 1\n", want: blockAny},
	{name: "merge value", doc: "a: <<\n", want: blockAccept},
	{name: "quoted odd keys", doc: "\"1\": a\n'true': b\n\"\": c\n\"a b\": d\n", want: blockAccept},
	{name: "complex key", doc: "? a\n: b\n", want: blockFallBack},
	{name: "flow key", doc: "[a]: b\n", want: blockFallBack},
	{name: "duplicate keys", doc: "a: 1\na: 2\n", want: blockFallBack},
	{name: "duplicate quoted", doc: "a: 1\n\"a\": 2\n", want: blockFallBack},
	{name: "nested value colon", doc: "a: b: c\n", want: blockFallBack},
	{name: "value ends colon", doc: "a: b:\n", want: blockFallBack},
	{name: "url value", doc: "a: http://x.y/z?q=1#frag\nb: a:b\nc: ::1\n", want: blockAccept},
	{name: "odd plain keys", doc: "-a: 1\n:b: 2\n?c: 3\na\"b: 4\nx.y/z: 5\n", want: blockAccept},
	{name: "indicator values", doc: "a: &x 1\n", want: blockFallBack},
	{name: "alias", doc: "a: *x\n", want: blockFallBack},
	{name: "tag", doc: "a: !!str 1\n", want: blockFallBack},
	{name: "folded", doc: "a: >\n  x\n  y\n", want: blockFallBack},
	{name: "at sign", doc: "a: @x\n", want: blockFallBack},
	{name: "backquote", doc: "a: `x`\n", want: blockFallBack},
	{name: "percent", doc: "a: %x\n", want: blockFallBack},
	{name: "dash value", doc: "a: - b\n", want: blockFallBack},
	{name: "dash words", doc: "a: -b\nc: --flag=1\nd: b - c\n", want: blockAccept},
	{name: "multi-line plain", doc: "a: b\n  c\n", want: blockFallBack},
	{name: "multi-line quoted", doc: "a: \"b\n  c\"\n", want: blockFallBack},
	{name: "scalar under key", doc: "a:\n  b\n", want: blockFallBack},
	{name: "single quotes", doc: "a: 'it''s'\nb: ''''\nc: 'x # y'\nd: 'a: b'\n", want: blockAccept},
	{name: "double escapes", doc: `a: "q\"b\\s\'n\nt\tr\r0\0x\x41\xe9u\u00e9\u263AU\U0001F600\a\b\v\f\e\ \N\_\L\P"` + "\nb: \"\\\t\"\n", want: blockAccept},
	{name: "double slash escape", doc: `a: "\/"` + "\n", want: blockFallBack},
	{name: "double bad escapes", doc: `a: "\ud800"` + "\n", want: blockFallBack},
	{name: "double unknown escape", doc: `a: "\q"` + "\n", want: blockFallBack},
	{name: "double short hex", doc: `a: "\x4"` + "\n", want: blockFallBack},
	{name: "double continuation", doc: "a: \"b\\\n  c\"\n", want: blockFallBack},
	{name: "double html", doc: `a: "<&> \u2028"` + "\n", want: blockAccept},
	{name: "empty flow", doc: "a: {}\nb: []\nc:\n- []\n- {}\n", want: blockAccept},
	{name: "flow seq", doc: "a: [\"sh\", \"-c\", 'x y']\nb: [1, 2.5, true, a-b, x/y]\nc: [ a ]\n", want: blockAccept},
	{name: "flow seq odd", doc: "a: [a, ]\n", want: blockFallBack},
	{name: "flow map", doc: "a: {b: 1, c: [x, {d: \"e\"}], 'f': .5, g: ~, h: a:b}\nb: {x: y} # c\n", want: blockAccept},
	{name: "flow words", doc: "a: [../x.yaml, -c, --f, 50%, a@b, ~, 1_0, 0x1f, 1e3, yes, x(y);z]\n", want: blockAccept},
	{name: "flow key no space", doc: "a: {b:1}\n", want: blockFallBack},
	{name: "flow quoted key no space", doc: "a: {\"b\":1}\n", want: blockFallBack},
	{name: "flow pair in sequence", doc: "a: [b: c]\n", want: blockFallBack},
	{name: "flow empty value", doc: "a: {b: }\n", want: blockFallBack},
	{name: "flow key only", doc: "a: {b, c}\n", want: blockFallBack},
	{name: "flow multi word", doc: "a: {b: c d}\nb: [c d]\n", want: blockFallBack},
	{name: "flow complex key", doc: "a: {? b: c}\n", want: blockFallBack},
	{name: "flow duplicate", doc: "a: {b: 1, b: 2}\n", want: blockFallBack},
	{name: "flow non-string keys", doc: "a: {1: a}\nb: {y: a}\nc: {~: 1}\n", want: blockFallBack},
	{name: "flow odd words", doc: "a: [-]\nb: [a:]\nc: [:a]\nd: [a:, b]\ne: [?a]\nf: [a#b]\n", want: blockFallBack},
	{name: "flow trailing comma map", doc: "a: {b: c, }\n", want: blockFallBack},
	{name: "flow then text", doc: "a: {b: c} d\n", want: blockFallBack},
	{name: "flow root", doc: "{a: [1, 2], b: {c: d}}\n", want: blockAccept},
	{name: "flow multi-line", doc: "a: [1,\n  2]\n", want: blockFallBack},
	{name: "same-indent sequence", doc: "spec:\n  containers:\n  - name: a\n    args:\n    - x\n    - y\n  - name: b\n  volumes: []\n", want: blockAccept},
	{name: "indented sequence", doc: "a:\n  - b: 1\n    c:\n      - d\n  -   e: 2\n      f: 3\n", want: blockAccept},
	{name: "sequence item comment", doc: "a:\n- # c\n  b: 1\n-\n- x # y\n", want: blockAccept},
	{name: "compact nested sequence", doc: "a:\n- - x\n", want: blockFallBack},
	{name: "sequence after value", doc: "a: 1\n- x\n", want: blockFallBack},
	{name: "bad dedent", doc: "a:\n    b: 1\n  c: 2\n", want: blockFallBack},
	{name: "deep", doc: "a:\n b:\n  c:\n   - d:\n      - e:\n         f: [x]\n         g: |\n          t\n", want: blockAccept},
	{name: "literal clip", doc: "a: |\n  x\n  y\n\n\nb: 1\n", want: blockAccept},
	{name: "literal strip", doc: "a: |-\n  x\n\n  y\n\nb: 1\n", want: blockAccept},
	{name: "literal keep", doc: "a: |+\n  x\n\n\nb: 1\n", want: blockAccept},
	{name: "literal keep eof", doc: "a: |+\n  x\n\n\n", want: blockAccept},
	{name: "literal at eof", doc: "a: |\n  x", want: blockAccept},
	{name: "literal header at eof", doc: "a: |", want: blockAccept},
	{name: "literal empty", doc: "a: |\nb: |-\n\nc: 1\n", want: blockAccept},
	{name: "literal empty keep", doc: "a: |+\n\nb: 1\n", want: blockFallBack},
	{name: "literal comment header", doc: "a: | # c\n  x\n", want: blockAccept},
	{name: "literal indent digit", doc: "a: |2\n   x\n", want: blockFallBack},
	{name: "literal hash content", doc: "a: |\n  # not a comment\n    more\n  #x\n# real comment\nb: 1\n", want: blockAccept},
	{name: "literal leading blank", doc: "a: |\n\n  x\n", want: blockAccept},
	{name: "literal leading long blank", doc: "a: |\n     \n  x\n", want: blockFallBack},
	{name: "literal space lines", doc: "a: |\n  x\n \n  \n     \n  y\n   \nb: 1\n", want: blockAccept},
	{name: "literal tabs", doc: "a: |\n  x\n  \ty\t\n   \t\n", want: blockAccept},
	{name: "literal first line tab", doc: "a: |\n  \tx\n", want: blockFallBack},
	{name: "literal tab indent", doc: "a: |\n \tx\n", want: blockFallBack},
	{name: "literal in sequence", doc: "- |\n x\n- |-\n  y\n-  |\n   z\n", want: blockAccept},
	{name: "literal in compact mapping", doc: "- a: |\n    x\n  b: |\n   y\n", want: blockAccept},
	{name: "literal under-indented", doc: "a:\n  b: |\n  x: 1\n", want: blockAccept},
	{name: "literal then stray", doc: "a: |\n    x\n  y\n", want: blockFallBack},
	{name: "literal crlf", doc: "a: |\r\n  x\r\n", want: blockFallBack},
	{name: "json", doc: `{"kind": "ConfigMap", "data": {"k": "v"}, "n": 12.0}`, want: blockAccept},
	{name: "json pretty", doc: "{\n  \"kind\": \"ConfigMap\"\n}\n", want: blockFallBack},
	{name: "long key", doc: strings.Repeat("k", 1100) + ": v\n", want: blockFallBack},
	{name: "control char", doc: "a: \x7f\n", want: blockFallBack},
}

// benchDoc is a realistic rendered document pair member: a Deployment.
const benchDoc = `# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  namespace: prod
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
    app.kubernetes.io/version: "1.4.2"
    helm.sh/chart: web-0.3.1
  annotations:
    checksum/config: 2f8c7a9d3b1e4f5a6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b
spec:
  replicas: 3
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app.kubernetes.io/name: web
      app.kubernetes.io/instance: shop
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        app.kubernetes.io/instance: shop
    spec:
      serviceAccountName: shop-web
      securityContext:
        runAsNonRoot: true
        fsGroup: 1000
      containers:
        - name: web
          image: "registry.example.com/shop/web:1.4.2"
          imagePullPolicy: IfNotPresent
          args: ["--port", "8080", "--log-level=info"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: DATABASE_URL
              value: "postgres://shop@db:5432/shop?sslmode=require"
            - name: FEATURE_FLAGS
              value: ""
            - name: CACHE_TTL
              value: "300"
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
            periodSeconds: 15
          resources:
            limits:
              cpu: 500m
              memory: 512Mi
            requests:
              cpu: 0.25
              memory: 256Mi
          volumeMounts:
          - name: config
            mountPath: /etc/shop
            readOnly: true
      volumes:
        - name: config
          configMap:
            name: shop-web
      nodeSelector: {}
      tolerations: []
`

// benchConfigMap is the ConfigMap of the benchmark pair.
const benchConfigMap = `# Source: shop/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: web
data:
  LOG_LEVEL: info
  app.yaml: |
    server:
      port: 8080
      timeout: 30s
    # caches
    cache:
      ttl: 300

  nginx.conf: |-
    server {
        listen 80;
        location / { proxy_pass http://127.0.0.1:8080; }
    }
`

// checkBlock is the contract: when decodeBlockYAML answers, the round
// trip succeeds and gives the same value.
func checkBlock(t *testing.T, text string) bool {
	t.Helper()
	got, ok := decodeBlockYAML(text)
	if !ok {
		return false
	}
	want, err := decodeSlow(text)
	if err != nil {
		t.Errorf("decodeBlockYAML(%q) = %v, but the round trip fails: %v", text, got, err)
		return true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decodeBlockYAML(%q) differs from the round trip (-want +got):\n%s", text, diff)
	}
	return true
}

func TestBlockYAMLEdgeCases(t *testing.T) {
	for _, tc := range blockEdgeCases {
		t.Run(tc.name, func(t *testing.T) {
			ok := checkBlock(t, tc.doc)
			switch {
			case tc.want == blockAccept && !ok:
				t.Errorf("decodeBlockYAML(%q) fell back; it is in the subset", tc.doc)
			case tc.want == blockFallBack && ok:
				t.Errorf("decodeBlockYAML(%q) decoded; it should fall back", tc.doc)
			}
		})
	}
	for _, d := range decodeEdgeCases {
		checkBlock(t, d)
	}
}

// blockCorpus is every document of the fixtures' YAML files and of the
// fixture charts rendered with their default values.
func blockCorpus(tb testing.TB) (files, rendered []string) {
	tb.Helper()
	for _, root := range []string{"../../testdata/repos", "../../examples", "testdata"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				return nil
			}
			if data, err := os.ReadFile(p); err == nil {
				for _, c := range splitDocs(string(data)) {
					files = append(files, c.text)
				}
			}
			return nil
		})
	}
	var charts []string
	for _, root := range []string{"../../testdata/repos", "../../examples", "testdata/repo/charts/web"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() == "Chart.yaml" {
				charts = append(charts, filepath.Dir(p))
			}
			return nil
		})
	}
	sort.Strings(charts)
	for _, dir := range charts {
		rendered = append(rendered, renderChartDocs(dir)...)
	}
	return files, rendered
}

// renderChartDocs renders the chart in dir with its default values, as
// Helm's engine does, and splits the output as the renderer does;
// charts that do not render alone (they need an env's values) give none.
func renderChartDocs(dir string) []string {
	c, err := loader.Load(dir)
	if err != nil || (c.Metadata.Type != "" && c.Metadata.Type != "application") {
		return nil
	}
	// The fixtures' library charts are file:// dependencies.
	for _, dep := range c.Metadata.Dependencies {
		if rel, ok := strings.CutPrefix(dep.Repository, "file://"); ok {
			if sub, err := loader.Load(filepath.Join(dir, rel)); err == nil {
				c.AddDependency(sub)
			}
		}
	}
	opts := chartutil.ReleaseOptions{Name: "r", Namespace: "ns", Revision: 1, IsInstall: true}
	vals, err := chartutil.ToRenderValues(c, c.Values, opts, chartutil.DefaultCapabilities)
	if err != nil {
		return nil
	}
	files, err := engine.Render(c, vals)
	if err != nil {
		return nil
	}
	var docs []string
	for name, text := range files {
		if strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		for _, doc := range releaseutil.SplitManifests(text) {
			docs = append(docs, doc)
		}
	}
	sort.Strings(docs)
	return docs
}

// TestBlockYAMLCorpus is the differential test on the fixtures and the
// rendered fixture charts; it also checks that the decoder accepts
// nearly every document there, or it would be of no use.
func TestBlockYAMLCorpus(t *testing.T) {
	files, rendered := blockCorpus(t)
	for _, set := range []struct {
		name string
		docs []string
		min  float64
	}{
		{name: "fixture files", docs: files, min: 0.95},
		{name: "rendered charts", docs: rendered, min: 0.98},
	} {
		// The rate counts documents the round trip decodes: the fixture
		// files include unrendered templates, which are not YAML.
		accepted, valid := 0, 0
		for _, d := range set.docs {
			if checkBlock(t, d) {
				accepted++
			}
			if _, err := decodeSlow(d); err == nil {
				valid++
			}
		}
		rate := float64(accepted) / float64(max(valid, 1))
		t.Logf("%s: %d of %d documents accepted (%.1f%%; %d more are not valid YAML)", set.name, accepted, valid, 100*rate, len(set.docs)-valid)
		if valid < 50 || rate < set.min {
			t.Errorf("%s: %d of %d documents accepted; want at least %.0f%%", set.name, accepted, valid, 100*set.min)
		}
	}
}

// FuzzBlockYAML checks the contract on any input.
func FuzzBlockYAML(f *testing.F) {
	for _, tc := range blockEdgeCases {
		f.Add(tc.doc)
	}
	for _, d := range decodeEdgeCases {
		f.Add(d)
	}
	f.Add(benchConfigMap)
	// A sample of the smaller corpus documents: large seeds slow the
	// mutator down more than they add coverage.
	files, rendered := blockCorpus(f)
	for i, d := range append(files, rendered...) {
		if i%8 == 0 && len(d) < 1500 {
			f.Add(d)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkBlock(t, text)
	})
}

// BenchmarkDecodeDoc compares the yaml.v2 path of decodeFast with the
// block decoder on a Deployment and a ConfigMap.
func BenchmarkDecodeDoc(b *testing.B) {
	docs := []string{benchDoc, benchConfigMap}
	for _, d := range docs {
		if _, ok := decodeBlockYAML(d); !ok {
			b.Fatalf("the block decoder falls back on %q", d)
		}
	}
	b.Run("yamlv2", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range docs {
				var y any
				if err := yamlv2.Unmarshal([]byte(d), &y); err != nil {
					b.Fatal(err)
				}
				if _, ok := fromYAMLv2(y); !ok {
					b.Fatal("fromYAMLv2 fell back")
				}
			}
		}
	})
	b.Run("block", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range docs {
				if _, ok := decodeBlockYAML(d); !ok {
					b.Fatal("fell back")
				}
			}
		}
	})
}

// blockGenScalars and blockGenKeys are the pieces TestBlockYAMLGenerated
// assembles: tricky scalars, keys and layouts of the subset's edges.
var (
	blockGenScalars = []string{
		"a", "a b", "1", "-1", "0", "1.5", "1.0", "1e3", "0x1f", "017", "+1", ".5", "1_0", "yes", "No", "on", "~", "null",
		"", "''", `""`, "'it''s'", `"a\tb\u00e9"`, "a#b", "a # c", "http://x:1/y", "-x", ":x", "?x", "a:b", "a: b", "{}", "[]",
		"[a, 1, 'b']", "{a: 1, b: [c]}", "|", "|-", "|+", "&a x", "*a", "!t x", ">", "- x", "2001-01-01", "1.2.3", "9223372036854775808",
		".inf", "'a' b", "\"a\"#c", "x\ty", "@x", "%x", "a:", "{a:1}", "[a b]",
	}
	blockGenKeys = []string{"k", "a b", "'q'", `"d"`, "1", "true", "y", "<<", "-k", "k:x", "k ", "~", "\"\"", "?k"}
	blockGenLit  = []string{"x", "  x", "# h", "x  ", "\ty", "", "   ", " "}
)

// blockGen writes a random document of the subset's shapes and near
// misses: mappings, sequences at the same or deeper indentation,
// compact mappings in items, literal blocks, comments and blank lines.
func blockGen(r *rand.Rand, b *strings.Builder, indent, depth int) {
	pad := strings.Repeat(" ", indent)
	n := 1 + r.Intn(3)
	seq := r.Intn(3) == 0
	for i := 0; i < n; i++ {
		if r.Intn(8) == 0 {
			b.WriteString(strings.Repeat(" ", r.Intn(6)) + "# c\n")
		}
		if r.Intn(10) == 0 {
			b.WriteString("\n")
		}
		prefix := pad
		if seq {
			prefix = pad + "- "
			if r.Intn(3) == 0 { // compact mapping in the item
				prefix += blockGenKeys[r.Intn(len(blockGenKeys))] + ":"
			}
		} else {
			prefix += blockGenKeys[r.Intn(len(blockGenKeys))] + ":"
		}
		switch k := r.Intn(6); {
		case k == 0 && depth < 4: // nested collection
			b.WriteString(prefix + "\n")
			child := indent + []int{0, 1, 2, 4}[r.Intn(4)]
			blockGen(r, b, child, depth+1)
		case k == 1: // literal block
			b.WriteString(prefix + " " + []string{"|", "|-", "|+", "| # c"}[r.Intn(4)] + "\n")
			ind := strings.Repeat(" ", indent+1+r.Intn(3))
			for j := r.Intn(4); j > 0; j-- {
				b.WriteString(ind + blockGenLit[r.Intn(len(blockGenLit))] + "\n")
			}
		default:
			b.WriteString(prefix + " " + blockGenScalars[r.Intn(len(blockGenScalars))])
			if r.Intn(6) == 0 {
				b.WriteString(" # c")
			}
			b.WriteString("\n")
		}
	}
}

// TestBlockYAMLGenerated is a deterministic grammar-driven differential
// test: byte-level fuzzing seldom reaches new layouts, this does.
func TestBlockYAMLGenerated(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	accepted := 0
	const total = 20000
	for range total {
		var b strings.Builder
		blockGen(r, &b, r.Intn(2), 0)
		if checkBlock(t, b.String()) {
			accepted++
		}
	}
	t.Logf("%d of %d generated documents accepted", accepted, total)
}
