package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromiumPath is where Debian's chromium package installs the browser
// (scripts/install-test-assets installs it when absent).
const chromiumPath = "/usr/bin/chromium"

// chromium returns the browser, skipping the test when it is absent, or
// failing it under CI=true, where scripts/install-test-assets has run.
func chromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found: run scripts/install-test-assets", chromiumPath)
	}
	t.Skipf("%s not found (scripts/install-test-assets installs it)", chromiumPath)
	return ""
}

// runChromium runs headless Chromium with a throwaway profile and no
// network side traffic, and returns its stdout.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	// A bound for a hung browser, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestHTMLInBrowser renders the fixture report in a real headless Chromium:
// the DOM it builds has every section, finding, plot and copy button, and
// screenshots at desktop and phone widths have the requested size and are
// not blank. SYNCDOCTOR_SCREENSHOTS=DIR keeps the screenshots for a look.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	res := fixture()
	if err := os.WriteFile(page, render(t, "html", Options{}, res), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + page

	dom := string(runChromium(t, bin, "--dump-dom", url))
	checks := []struct {
		name string
		re   string
		n    int
	}{
		{name: "sections", re: `<section id="(matrix|objects|hpa|failed|problems|findings)"`, n: 6},
		{name: "findings", re: `<article class="finding `, n: len(res.Findings)},
		{name: "copy buttons", re: `<button type="button" class="copy"`, n: 4},
		{name: "plots", re: `<svg class="plot"`, n: 3},
		{name: "hpa step tooltips", re: `<title>15m: 12 → 11 replicas; limited by policy Pods 1/60s</title>`, n: 1},
		{name: "matrix rows", re: `<tr><th scope="row">[^<]*</th><td class="cell-`, n: 2},
		{name: "external resources", re: `(src|href)="(https?:)?//[^"]*\.(js|css|woff2?)"`, n: 0},
	}
	for _, c := range checks {
		if got := len(regexp.MustCompile(c.re).FindAllString(dom, -1)); got != c.n {
			t.Errorf("%s: %d matches of %s in the DOM, want %d", c.name, got, c.re, c.n)
		}
	}

	keep := os.Getenv("SYNCDOCTOR_SCREENSHOTS")
	for _, size := range []struct{ w, h int }{{w: 1280, h: 2000}, {w: 390, h: 2000}} {
		shot := filepath.Join(dir, "shot.png")
		if keep != "" {
			shot = filepath.Join(keep, "report-"+itoa(size.w)+".png")
		}
		runChromium(t, bin, "--screenshot="+shot, "--window-size="+itoa(size.w)+","+itoa(size.h), url)
		img := decodePNG(t, shot)
		if b := img.Bounds(); b.Dx() != size.w || b.Dy() != size.h {
			t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), size.w, size.h)
		}
		if n := colours(img); n < 50 {
			t.Errorf("screenshot at %d px has %d colours: blank page?", size.w, n)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// colours counts the distinct colours of an image, sampling every other
// pixel: a rendered report has text, badges and plots in many shades.
func colours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}
