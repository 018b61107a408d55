package helmcli

import "testing"

func TestDocs(t *testing.T) {
	docs, err := Docs("---\n# Source: a/templates/x.yaml\n\n---\n# Source: a/templates/x.yaml\nkind: A\n---\n# Source: a/templates/x.yaml\nkind: B\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs["a/templates/x.yaml#0"].(map[string]any)["kind"] != "A" || docs["a/templates/x.yaml#1"].(map[string]any)["kind"] != "B" {
		t.Errorf("docs %v", docs)
	}
	if _, err := Docs("kind: A\n"); err == nil {
		t.Error("a document without # Source: must be an error")
	}
}
