package render

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var splitDocsCases = []string{
	"", "\n", "# c\n", "a: 1", "a: 1\n", "# c\n\na: 1\n", "  \n\t\n# x\n  # y\nkind: A\n",
	"---\na: 1\n", "a: 1\n---\nb: 2\n", "a: 1\n--- # c\nb: 2\n", "a: 1\n---x\nb: 2\n", "a: |\n  ---\n",
	"a: 1\n---\n", "---", "--- \n---\n", "a: 1\r\nb: 2\r\n", "\n\n\nx: y",
}

// TestSplitDocsFastPath proves the no-copy path for texts without "---"
// lines equal to the line-by-line split.
func TestSplitDocsFastPath(t *testing.T) {
	texts := append([]string(nil), splitDocsCases...)
	for _, root := range []string{"../../testdata", "../../examples"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
				if b, err := os.ReadFile(p); err == nil {
					texts = append(texts, string(b))
				}
			}
			return nil
		})
	}
	for _, text := range texts {
		if got, want := splitDocs(text), splitDocLines(text); !slices.Equal(got, want) {
			t.Errorf("splitDocs(%.60q) = %v, line split %v", text, got, want)
		}
	}
}

func FuzzSplitDocs(f *testing.F) {
	for _, s := range splitDocsCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := splitDocs(text), splitDocLines(text); !slices.Equal(got, want) {
			t.Errorf("splitDocs(%q) = %v, line split %v", text, got, want)
		}
	})
}
