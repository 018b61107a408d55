package check

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// wordRegexp is the regexp namesRandomFunc stands in for.
var wordRegexp = regexp.MustCompile(`\b(` + strings.Join(append(append([]string(nil), randomNames...), clockReaderNames...), "|") + `)\b`)

// TestNamesRandomFuncMatchesRegexp proves the scan equal to the regexp on
// edge cases and on every template of the fixtures and the demo.
func TestNamesRandomFuncMatchesRegexp(t *testing.T) {
	texts := []string{
		"", "now", "{{ now }}", "nowhere", "snow", "_now", "now_", "now1", "1now", "now-1", "x.now",
		"randAlphaNum", "randAlphaNumX", "randAlpha5", "{{ randAlpha 5 }}", "randAlphaNumrandAlpha",
		"xrandAlpha randAlpha", "dateInZone", "date_in_zone", "datex date", "é now", "nowé",
		"{{ .Values.uuidv4 }}", "genCAWithKey", "genCAWithKeyz", "shuffled", "shuffle\n",
	}
	for _, root := range []string{"../../testdata", "../../examples"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.Contains(filepath.ToSlash(p), "/templates/") {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil {
				texts = append(texts, string(b))
			}
			return nil
		})
	}
	if len(texts) < 100 {
		t.Fatalf("only %d texts: fixtures not found", len(texts))
	}
	matched := 0
	for _, text := range texts {
		want := wordRegexp.MatchString(text)
		if got := namesRandomFunc(text); got != want {
			t.Errorf("namesRandomFunc(%.80q) = %v, regexp says %v", text, got, want)
		}
		if want {
			matched++
		}
	}
	if matched == 0 {
		t.Error("no text names a random function: the test proves nothing")
	}
}

func FuzzNamesRandomFunc(f *testing.F) {
	for _, s := range []string{"now", "{{ randAlpha 3 }}", "xnow", "date_in_zone"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := namesRandomFunc(text), wordRegexp.MatchString(text); got != want {
			t.Errorf("namesRandomFunc(%q) = %v, regexp says %v", text, got, want)
		}
	})
}
