package fix

import (
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

func TestApplyYAML(t *testing.T) {
	const values = `# top comment
image:
  repository: web # the image
  tag: "1.2"

autoscaling:
  enabled: true
  minReplicas: 2 # keep two
  # trailing note
# about resources
resources: {}
list:
  - a
  - b
`
	cases := []struct {
		name string
		src  string
		edit finding.Edit
		want string
	}{
		{
			name: "set scalar keeps the line comment",
			src:  values,
			edit: finding.Edit{Path: "autoscaling.minReplicas", Op: finding.OpSet, Value: "3"},
			want: strings.Replace(values, "minReplicas: 2 #", "minReplicas: 3 #", 1),
		},
		{
			name: "set same value is a no-op",
			src:  values,
			edit: finding.Edit{Path: "image.tag", Op: finding.OpSet, Value: `"1.2"`},
			want: values,
		},
		{
			name: "set creates parents after the last entry",
			src:  values,
			edit: finding.Edit{Path: "autoscaling.behavior.scaleDown.stabilizationWindowSeconds", Op: finding.OpSet, Value: "60"},
			want: strings.Replace(values, "  # trailing note\n", "  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 60\n  # trailing note\n", 1),
		},
		{
			name: "set into an empty flow mapping",
			src:  values,
			edit: finding.Edit{Path: "resources.limits.cpu", Op: finding.OpSet, Value: "1"},
			want: strings.Replace(values, "resources: {}", "resources: {limits: {cpu: 1}}", 1),
		},
		{
			name: "merge annotation with a quoted dotted key",
			src:  "spec:\n  template:\n    metadata:\n      labels:\n        app: web\n",
			edit: finding.Edit{Path: "spec.template.metadata.annotations", Op: finding.OpMerge, Value: `checksum/config: "abc"`},
			want: "spec:\n  template:\n    metadata:\n      labels:\n        app: web\n      annotations:\n        checksum/config: \"abc\"\n",
		},
		{
			name: "merge into existing mapping",
			src:  "metadata:\n  annotations:\n    a: \"1\" # keep\n",
			edit: finding.Edit{Path: "metadata.annotations", Op: finding.OpMerge, Value: "b: \"2\"\na: \"1\""},
			want: "metadata:\n  annotations:\n    a: \"1\" # keep\n    b: \"2\"\n",
		},
		{
			name: "append to block sequence skips present items",
			src:  values,
			edit: finding.Edit{Path: "list", Op: finding.OpAppend, Value: "- b\n- c\n"},
			want: strings.Replace(values, "  - b\n", "  - b\n  - c\n", 1),
		},
		{
			name: "append mapping item creates the sequence",
			src:  "spec:\n  project: default\n",
			edit: finding.Edit{Path: "spec.ignoreDifferences", Op: finding.OpAppend, Value: "- group: apps\n  kind: Deployment\n  jsonPointers:\n    - /spec/replicas\n"},
			want: "spec:\n  project: default\n  ignoreDifferences:\n    - group: apps\n      kind: Deployment\n      jsonPointers:\n        - /spec/replicas\n",
		},
		{
			name: "append to compact sequence keeps its style",
			src:  "spec:\n  syncOptions:\n  - A=true\nother: 1\n",
			edit: finding.Edit{Path: "spec.syncOptions", Op: finding.OpAppend, Value: "- B=true"},
			want: "spec:\n  syncOptions:\n  - A=true\n  - B=true\nother: 1\n",
		},
		{
			name: "append to flow sequence",
			src:  "args: [--a, --b] # flags\n",
			edit: finding.Edit{Path: "args", Op: finding.OpAppend, Value: "--c"},
			want: "args: [--a, --b, --c] # flags\n",
		},
		{
			name: "delete key with its head comment",
			src:  "a: 1\n# about b\nb:\n  c: 2\nd: 3\n",
			edit: finding.Edit{Path: "b", Op: finding.OpDelete},
			want: "a: 1\nd: 3\n",
		},
		{
			name: "delete last key leaves an empty mapping",
			src:  "a:\n  b: 1\nc: 2\n",
			edit: finding.Edit{Path: "a.b", Op: finding.OpDelete},
			want: "a: {}\nc: 2\n",
		},
		{
			name: "delete missing key is a no-op",
			src:  values,
			edit: finding.Edit{Path: "nope.x", Op: finding.OpDelete},
			want: values,
		},
		{
			name: "delete first key of a compact item",
			src:  "l:\n  - name: x\n    value: y\n",
			edit: finding.Edit{Path: "l[0].name", Op: finding.OpDelete},
			want: "l:\n  - value: y\n",
		},
		{
			name: "delete sequence item",
			src:  values,
			edit: finding.Edit{Path: "list[0]", Op: finding.OpDelete},
			want: strings.Replace(values, "  - a\n", "", 1),
		},
		{
			name: "second document only",
			src:  "a: 1\n---\n# doc two\nb: 1\n---\nc: 1\n",
			edit: finding.Edit{Document: 1, Path: "b", Op: finding.OpSet, Value: "2"},
			want: "a: 1\n---\n# doc two\nb: 2\n---\nc: 1\n",
		},
		{
			name: "CRLF kept",
			src:  "a:\r\n  b: 1\r\n",
			edit: finding.Edit{Path: "a.c", Op: finding.OpSet, Value: "2"},
			want: "a:\r\n  b: 1\r\n  c: 2\r\n",
		},
		{
			name: "CRLF no-op keeps bytes",
			src:  "a:\r\n  b: 1\n",
			edit: finding.Edit{Path: "a.b", Op: finding.OpSet, Value: "1"},
			want: "a:\r\n  b: 1\n",
		},
		{
			name: "anchored scalar keeps its anchor",
			src:  "a: &x 1\nb: *x\n",
			edit: finding.Edit{Path: "b", Op: finding.OpSet, Value: "2"},
			want: "a: &x 1\nb: 2\n",
		},
		{
			name: "set key in merge-key mapping overrides",
			src:  "base: &b\n  x: 1\nprod:\n  <<: *b\n",
			edit: finding.Edit{Path: "prod.x", Op: finding.OpSet, Value: "2"},
			want: "base: &b\n  x: 1\nprod:\n  <<: *b\n  x: 2\n",
		},
		{
			name: "set replaces a block value with a scalar",
			src:  "a:\n  b: 1\n  c: 2\nd: 3\n",
			edit: finding.Edit{Path: "a", Op: finding.OpSet, Value: "x"},
			want: "a: x\nd: 3\n",
		},
		{
			name: "set replaces a block value keeping the key's comment",
			src:  "a: # why\n  b: 1\nd: 3\n",
			edit: finding.Edit{Path: "a", Op: finding.OpSet, Value: "c: 2"},
			want: "a: # why\n  c: 2\nd: 3\n",
		},
		{
			name: "set in four-space file",
			src:  "a:\n    b: 1\n",
			edit: finding.Edit{Path: "a.c.d", Op: finding.OpSet, Value: "2"},
			want: "a:\n    b: 1\n    c:\n        d: 2\n",
		},
		{
			name: "set on empty file",
			src:  "",
			edit: finding.Edit{Path: "a.b", Op: finding.OpSet, Value: "1"},
			want: "a:\n  b: 1\n",
		},
		{
			name: "set without trailing newline",
			src:  "a: 1",
			edit: finding.Edit{Path: "b", Op: finding.OpSet, Value: "2"},
			want: "a: 1\nb: 2\n",
		},
		{
			name: "set sequence item field",
			src:  "spec:\n  sources:\n    - repoURL: x\n      helm:\n        valueFiles:\n          - a.yaml\n",
			edit: finding.Edit{Path: "spec.sources[0].helm.apiVersions", Op: finding.OpAppend, Value: "- monitoring.coreos.com/v1\n"},
			want: "spec:\n  sources:\n    - repoURL: x\n      helm:\n        valueFiles:\n          - a.yaml\n        apiVersions:\n          - monitoring.coreos.com/v1\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ApplyYAML([]byte(tc.src), tc.edit)
			if err != nil {
				t.Fatalf("ApplyYAML: %v", err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestApplyYAMLErrors(t *testing.T) {
	cases := []struct {
		name    string
		src     string
		edit    finding.Edit
		wantErr string
	}{
		{name: "through alias", src: "a: &x {b: 1}\nc: *x\n", edit: finding.Edit{Path: "c.b", Op: finding.OpSet, Value: "2"}, wantErr: "alias"},
		{name: "anchored value", src: "a: &x\n  b: 1\nc: *x\n", edit: finding.Edit{Path: "a", Op: finding.OpDelete}, wantErr: "anchor"},
		{name: "scalar parent", src: "a: 1\n", edit: finding.Edit{Path: "a.b", Op: finding.OpSet, Value: "2"}, wantErr: "not a mapping"},
		{name: "bad document", src: "a: 1\n", edit: finding.Edit{Document: 3, Path: "a", Op: finding.OpSet, Value: "2"}, wantErr: "document 3"},
		{name: "merge non-mapping", src: "a: 1\n", edit: finding.Edit{Path: "a", Op: finding.OpMerge, Value: "- x"}, wantErr: "not a mapping"},
		{name: "index out of range", src: "a:\n- 1\n", edit: finding.Edit{Path: "a[3]", Op: finding.OpSet, Value: "2"}, wantErr: "1 items"},
		{name: "bad path", src: "a: 1\n", edit: finding.Edit{Path: "a..b", Op: finding.OpSet, Value: "2"}, wantErr: "empty key"},
		{name: "alias bomb", src: bomb(), edit: finding.Edit{Path: "z", Op: finding.OpSet, Value: "1"}, wantErr: "too many nodes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ApplyYAML([]byte(tc.src), tc.edit)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// bomb is a billion-laughs document: ten levels of ten aliases.
func bomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	return b.String()
}
