package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

// hostileDir holds one tiny repo per hostile or broken input. Every case
// also gets the files of hostileCommon (a control Application that must
// keep rendering whatever its neighbours do) unless it overrides them.
var (
	hostileDir    = filepath.Join("..", "..", "testdata", "hostile")
	hostileCommon = filepath.Join(hostileDir, "_common")
)

// hostileCase is a case.yaml: what the test builds around the committed
// files (things git cannot keep or that are too big to commit) and the
// expected outcome.
type hostileCase struct {
	Description string       `json:"description"`
	Setup       hostileSetup `json:"setup"`
	Options     struct {
		Timeout        string `json:"timeout"`
		MaxOutputBytes int    `json:"maxOutputBytes"`
	} `json:"options"`
	Expect hostileExpect `json:"expect"`
}

// hostileSetup is built in the temporary copy of the case. In every text
// file of the case, @OUTSIDE@ becomes a directory outside the checkout
// and @LOOPBACK@ the URL of a server that counts the requests it gets.
type hostileSetup struct {
	// Outside files are written to @OUTSIDE@ (relative path → content).
	Outside map[string]string `json:"outside"`
	// Symlinks are created in the checkout: link (checkout-relative) → to.
	Symlinks map[string]string `json:"symlinks"`
	// BigFiles are generated: path, size in bytes, and what fills them.
	BigFiles []struct {
		Path string `json:"path"`
		Size int    `json:"size"`
		// Fill: "comment" (a YAML comment line repeated), "yaml" (one
		// huge map of keys), "binary" (NULs and high bytes).
		Fill string `json:"fill"`
	} `json:"bigFiles"`
	// Dirs creates Count directories named by Pattern (fmt, one %d), each
	// holding File with Content, e.g. for a git directory generator.
	Dirs *struct {
		Pattern string `json:"pattern"`
		Count   int    `json:"count"`
		File    string `json:"file"`
		Content string `json:"content"`
	} `json:"dirs"`
}

// hostileExpect is the outcome: no panic, done within MaxSeconds, these
// findings (a subset; file and line where given), these apps rendered,
// none of Absent in any output and no request to the loopback server.
type hostileExpect struct {
	Findings []struct {
		Check   string `json:"check"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"` // regexp
	} `json:"findings"`
	// Rendered apps must render without error (the control app always).
	Rendered []string `json:"rendered"`
	// Error, when set, is a regexp the run's error must match; otherwise
	// the run must succeed.
	Error      string   `json:"error"`
	MaxSeconds int      `json:"maxSeconds"`
	Absent     []string `json:"absent"`
}

// TestHostile runs every case under testdata/hostile: each is a checkout a
// stranger could send in a pull request.
func TestHostile(t *testing.T) {
	entries, err := os.ReadDir(hostileDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) { runHostile(t, filepath.Join(hostileDir, e.Name())) })
	}
	if n < 40 {
		t.Errorf("only %d hostile cases; the corpus must keep at least 40", n)
	}
}

func runHostile(t *testing.T, dir string) {
	var c hostileCase
	data, err := os.ReadFile(filepath.Join(dir, "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		t.Fatalf("case.yaml: %v", err)
	}
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"type": "object", "required": ["planted-by-loopback"]}`))
	}))
	defer srv.Close()
	tmp := t.TempDir()
	root, outside := filepath.Join(tmp, "repo"), filepath.Join(tmp, "outside")
	subst := strings.NewReplacer("@OUTSIDE@", outside, "@LOOPBACK@", srv.URL)
	copyTree(t, hostileCommon, root, subst)
	copyTree(t, dir, root, subst)
	buildSetup(t, c.Setup, root, outside, subst)

	opts := pipeline.Options{Root: root, Timeout: 5 * time.Second, MaxOutputBytes: 1 << 20, Offline: true}
	if c.Options.Timeout != "" {
		if opts.Timeout, err = time.ParseDuration(c.Options.Timeout); err != nil {
			t.Fatal(err)
		}
	}
	if c.Options.MaxOutputBytes > 0 {
		opts.MaxOutputBytes = c.Options.MaxOutputBytes
	}
	maxSeconds := c.Expect.MaxSeconds
	if maxSeconds == 0 {
		maxSeconds = 30
	}
	// The bound is generous (a loaded 2-core machine): it catches a run
	// that hangs or loops, not a slow one.
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(maxSeconds)*time.Second)
	defer cancel()
	began := time.Now()
	run, err := pipeline.Offline(ctx, opts)
	elapsed := time.Since(began)
	if elapsed > time.Duration(maxSeconds)*time.Second {
		t.Errorf("run took %s, over its bound of %ds", elapsed, maxSeconds)
	}
	if c.Expect.Error != "" {
		if err == nil || !regexp.MustCompile(c.Expect.Error).MatchString(err.Error()) {
			t.Fatalf("error = %v, want one matching %q", err, c.Expect.Error)
		}
		checkQuiet(t, err.Error(), c, outside)
		return
	}
	if err != nil {
		t.Fatalf("Offline: %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the loopback server got %d request(s); nothing may be fetched", n)
	}
	checkFindings(t, run.Result, c.Expect)
	checkRendered(t, run.Result, append([]string{"control"}, c.Expect.Rendered...))
	for _, name := range report.Names() {
		var buf bytes.Buffer
		rep, err := report.New(name, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.Report(&buf, run.Result); err != nil {
			t.Errorf("%s reporter: %v", name, err)
		}
		checkQuiet(t, buf.String(), c, outside)
	}
	if t.Failed() {
		for _, f := range run.Result.Findings {
			t.Logf("got %s %s:%d %s", f.Check, f.Location.File, f.Location.Line, f.Message)
		}
	}
}

// checkFindings asserts the expected findings and that every finding
// points at a checkout-relative file.
func checkFindings(t *testing.T, res *report.Result, want hostileExpect) {
	t.Helper()
	for _, f := range res.Findings {
		if file := f.Location.File; filepath.IsAbs(file) || strings.HasPrefix(file, "..") {
			t.Errorf("%s finding at %q: not a checkout-relative path", f.Check, file)
		}
		if (f.Check == "render-error" || f.Check == "discovery-error") && f.Location.File == "" {
			t.Errorf("%s finding names no file: %s", f.Check, f.Message)
		}
	}
	for _, w := range want.Findings {
		re := regexp.MustCompile(w.Message)
		if !hasFinding(res.Findings, func(f finding.Finding) bool {
			return f.Check == w.Check && (w.File == "" || f.Location.File == w.File) &&
				(w.Line == 0 || f.Location.Line == w.Line) && re.MatchString(f.Message)
		}) {
			t.Errorf("no %s finding at %s:%d matching %q", w.Check, w.File, w.Line, w.Message)
		}
	}
}

func hasFinding(fs []finding.Finding, ok func(finding.Finding) bool) bool {
	for _, f := range fs {
		if ok(f) {
			return true
		}
	}
	return false
}

// checkRendered asserts that the named apps rendered objects.
func checkRendered(t *testing.T, res *report.Result, apps []string) {
	t.Helper()
	for _, app := range apps {
		ok := false
		for _, ts := range res.Targets {
			if ts.App == app && ts.Error == "" && ts.Objects > 0 {
				ok = true
			}
		}
		if !ok {
			t.Errorf("app %s was not analysed (no error-free render with objects)", app)
		}
	}
}

// checkQuiet asserts that out names neither a planted string nor a path
// outside the checkout.
func checkQuiet(t *testing.T, out string, c hostileCase, outside string) {
	t.Helper()
	// The root itself is the user's own path (Result.Root); a path outside
	// it must never appear.
	for _, s := range append(c.Expect.Absent, outside) {
		if strings.Contains(out, s) {
			t.Errorf("output contains %q", s)
		}
	}
}

// copyTree copies src over dst, substituting the placeholders in files
// that are valid UTF-8 text (binary fixtures are copied as they are).
func copyTree(t *testing.T, src, dst string, subst *strings.Replacer) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "case.yaml" {
			return nil
		}
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte("@")) && !bytes.ContainsRune(data, 0) {
			data = []byte(subst.Replace(string(data)))
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// buildSetup makes what the committed files cannot hold.
func buildSetup(t *testing.T, s hostileSetup, root, outside string, subst *strings.Replacer) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(outside, 0o755))
	for rel, content := range s.Outside {
		p := filepath.Join(outside, rel)
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.WriteFile(p, []byte(content), 0o644))
	}
	for link, to := range s.Symlinks {
		p := filepath.Join(root, link)
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.Symlink(subst.Replace(to), p))
	}
	for _, b := range s.BigFiles {
		p := filepath.Join(root, b.Path)
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.WriteFile(p, bigContent(b.Fill, b.Size), 0o644))
	}
	if d := s.Dirs; d != nil {
		for i := range d.Count {
			p := filepath.Join(root, fmt.Sprintf(d.Pattern, i))
			must(os.MkdirAll(p, 0o755))
			if d.File != "" {
				must(os.WriteFile(filepath.Join(p, d.File), []byte(d.Content), 0o644))
			}
		}
	}
}

// bigContent generates size bytes of the given kind.
func bigContent(fill string, size int) []byte {
	var unit string
	switch fill {
	case "comment":
		unit = "# padding padding padding padding padding padding padding padding\n"
	case "yaml":
		var b bytes.Buffer
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "key%08d: value-%08d\n", i, i)
		}
		return b.Bytes()[:size]
	case "binary":
		unit = "\x00\xff\xfe\x01\x80garbage\x00"
	default:
		panic(errors.New("unknown fill " + fill))
	}
	return bytes.Repeat([]byte(unit), size/len(unit)+1)[:size]
}
