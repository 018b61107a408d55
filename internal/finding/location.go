package finding

import (
	"fmt"
	"strings"
)

// Location is a position in the user's checkout. File is slash-separated and
// relative to the checkout root; Line and Column are 1-based and 0 means
// unknown. The zero Location means "no source position".
type Location struct {
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
}

// IsZero reports whether the location names no file.
func (l Location) IsZero() bool { return l.File == "" }

// String renders file:line:col, file:line or file, in the form Go tools and
// editors understand.
func (l Location) String() string {
	switch {
	case l.File == "":
		return ""
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
	}
}

// ObjectRef identifies a Kubernetes object. Version is informative only: the
// same object may be served at several versions, so Equal ignores it.
type ObjectRef struct {
	Group     string `json:"group,omitempty"`
	Version   string `json:"version,omitempty"`
	Kind      string `json:"kind,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

// IsZero reports whether the reference names no object.
func (o ObjectRef) IsZero() bool { return o.Kind == "" && o.Name == "" }

// Equal compares identity (group, kind, namespace, name), not version.
func (o ObjectRef) Equal(p ObjectRef) bool {
	return o.Group == p.Group && o.Kind == p.Kind && o.Namespace == p.Namespace && o.Name == p.Name
}

// String renders Kind/namespace/name, prefixed by the group when it is not
// the core group: "apps/Deployment/prod/web", "ConfigMap/web-config".
func (o ObjectRef) String() string {
	if o.IsZero() {
		return ""
	}
	var b strings.Builder
	if o.Group != "" {
		b.WriteString(o.Group)
		b.WriteByte('/')
	}
	b.WriteString(o.Kind)
	b.WriteByte('/')
	if o.Namespace != "" {
		b.WriteString(o.Namespace)
		b.WriteByte('/')
	}
	b.WriteString(o.Name)
	return b.String()
}
