package diffsem

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/argo/normalizers"
	"github.com/argoproj/argo-cd/v3/util/glob"
	"github.com/itchyny/gojq"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

var errBadIndex = errors.New("not a list index")

// ProblemKind classifies a RuleProblem.
type ProblemKind string

// The problems RuleProblems reports.
const (
	// ProblemJQCompile: ArgoCD fails the whole comparison for the app.
	ProblemJQCompile ProblemKind = "jq-compile"
	// ProblemJQRuntime: the expression errors or times out on an object, so
	// ArgoCD silently skips it there.
	ProblemJQRuntime ProblemKind = "jq-runtime"
	// ProblemPointerSyntax: not an RFC 6901 pointer; ArgoCD silently skips it.
	ProblemPointerSyntax ProblemKind = "pointer-syntax"
	// ProblemGlob: the group or kind pattern does not compile; it matches nothing.
	ProblemGlob ProblemKind = "glob"
	// ProblemNoObject: the rule matches none of the given objects.
	ProblemNoObject ProblemKind = "no-object"
	// ProblemRemovesNothing: the path removes nothing from any matched object.
	ProblemRemovesNothing ProblemKind = "removes-nothing"
	// ProblemManagerAbsent: no matched object has a managedFields entry by this manager.
	ProblemManagerAbsent ProblemKind = "manager-absent"
)

// RuleProblem is one defect of one ignoreDifferences rule.
type RuleProblem struct {
	// Rule is the index of the rule.
	Rule int
	// Field names the offending entry, e.g. "jqPathExpressions[1]", or "".
	Field string
	// Kind classifies the problem.
	Kind ProblemKind
	// Message explains it in one sentence.
	Message string
}

// RuleProblems lints rules. Syntax problems need no objects; with objects
// (the desired or live objects the rules could apply to) it also reports
// rules that match none of them and paths that remove nothing from any
// matched object, evaluated with ArgoCD's own ignore normalizer.
// opts.JQTimeout bounds each jq evaluation as ArgoCD's does.
func RuleProblems(rules []v1alpha1.ResourceIgnoreDifferences, objects []map[string]any, opts Options) []RuleProblem {
	timeout := opts.JQTimeout
	if timeout <= 0 {
		timeout = normalizers.DefaultJQExecutionTimeout
	}
	var out []RuleProblem
	add := func(i int, field string, k ProblemKind, format string, args ...any) {
		out = append(out, RuleProblem{Rule: i, Field: field, Kind: k, Message: fmt.Sprintf(format, args...)})
	}
	objs := make([]*unstructured.Unstructured, 0, len(objects))
	for _, o := range objects {
		if u, err := toUnstructured(o); err == nil && u != nil {
			objs = append(objs, u)
		}
	}
	for i, r := range rules {
		globOK := true
		for _, g := range []struct{ field, pat string }{{"group", r.Group}, {"kind", r.Kind}} {
			if !globCompiles(g.pat) {
				globOK = false
				add(i, g.field, ProblemGlob, "%s pattern %q does not compile, so the rule matches nothing", g.field, g.pat)
			}
		}
		codes := make([]*gojq.Code, len(r.JQPathExpressions))
		for j, e := range r.JQPathExpressions {
			c, err := compileJQ(e)
			if err != nil {
				add(i, fmt.Sprintf("jqPathExpressions[%d]", j), ProblemJQCompile, "jq %q does not compile (ArgoCD fails the comparison): %v", e, err)
				continue
			}
			codes[j] = c
		}
		for j, p := range r.JSONPointers {
			if err := checkPointer(p); err != nil {
				add(i, fmt.Sprintf("jsonPointers[%d]", j), ProblemPointerSyntax, "json pointer %q: %v; ArgoCD skips it silently", p, err)
			}
		}
		if len(objects) == 0 || !globOK {
			continue
		}
		var matched []*unstructured.Unstructured
		for _, u := range objs {
			if ruleMatches(r, u) {
				matched = append(matched, u)
			}
		}
		if len(matched) == 0 {
			add(i, "", ProblemNoObject, "rule %s/%s name %q namespace %q matches none of the %d objects", r.Group, r.Kind, r.Name, r.Namespace, len(objs))
			continue
		}
		for j, p := range r.JSONPointers {
			if checkPointer(p) == nil && !removesAny(matched, v1alpha1.ResourceIgnoreDifferences{JSONPointers: []string{p}}) {
				add(i, fmt.Sprintf("jsonPointers[%d]", j), ProblemRemovesNothing, "json pointer %q removes nothing from the %d matched objects", p, len(matched))
			}
		}
		for j, e := range r.JQPathExpressions {
			if codes[j] == nil {
				continue
			}
			field := fmt.Sprintf("jqPathExpressions[%d]", j)
			if err := jqRuntimeError(codes[j], matched, timeout); err != nil {
				add(i, field, ProblemJQRuntime, "jq %q fails on a matched object, so ArgoCD skips it there: %v", e, err)
			}
			if !removesAny(matched, v1alpha1.ResourceIgnoreDifferences{JQPathExpressions: []string{e}}) {
				add(i, field, ProblemRemovesNothing, "jq %q removes nothing from the %d matched objects", e, len(matched))
			}
		}
		for j, m := range r.ManagedFieldsManagers {
			if !hasManager(matched, m) {
				add(i, fmt.Sprintf("managedFieldsManagers[%d]", j), ProblemManagerAbsent, "no matched object has managedFields by %q", m)
			}
		}
	}
	return out
}

// ruleMatches is the matcher of argo-cd util/argo/normalizers
// (ignoreNormalizer.Normalize): group and kind are globs, name and
// namespace exact unless empty.
func ruleMatches(r v1alpha1.ResourceIgnoreDifferences, u *unstructured.Unstructured) bool {
	gk := u.GroupVersionKind().GroupKind()
	return glob.Match(r.Group, gk.Group) && glob.Match(r.Kind, gk.Kind) &&
		(r.Name == "" || r.Name == u.GetName()) &&
		(r.Namespace == "" || r.Namespace == u.GetNamespace())
}

// compileJQ compiles an expression the way NewIgnoreNormalizer does.
func compileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(fmt.Sprintf("del(%s)", expr))
	if err != nil {
		return nil, err
	}
	return gojq.Compile(q)
}

// checkPointer validates RFC 6901 syntax: "" or "/"-prefixed tokens whose
// "~" is always followed by "0" or "1".
func checkPointer(p string) error {
	if p == "" {
		return errors.New("the empty pointer names the whole object and cannot be removed")
	}
	if p[0] != '/' {
		return errors.New(`does not start with "/"`)
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 == len(p) || (p[i+1] != '0' && p[i+1] != '1')) {
			return errors.New(`"~" must be followed by "0" or "1"`)
		}
	}
	return nil
}

// removesAny applies one rule with ArgoCD's ignore normalizer to copies of
// the objects and reports whether any changed.
func removesAny(objs []*unstructured.Unstructured, r v1alpha1.ResourceIgnoreDifferences) bool {
	r.Group, r.Kind = "*", "*"
	n, err := normalizers.NewIgnoreNormalizer([]v1alpha1.ResourceIgnoreDifferences{r}, nil, normalizers.IgnoreNormalizerOpts{})
	if err != nil {
		return false
	}
	for _, u := range objs {
		c := u.DeepCopy()
		if n.Normalize(c) == nil && !reflect.DeepEqual(jsonRound(c.Object), jsonRound(u.Object)) {
			return true
		}
	}
	return false
}

func jsonRound(m map[string]any) any {
	b, _ := json.Marshal(m)
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}

// jqRuntimeError runs the compiled deletion on each object with ArgoCD's
// timeout and returns the first error.
func jqRuntimeError(code *gojq.Code, objs []*unstructured.Unstructured, timeout time.Duration) error {
	for _, u := range objs {
		doc := jsonRound(u.Object)
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		it := code.RunWithContext(ctx, doc)
		v, ok := it.Next()
		cancel()
		if !ok {
			return errors.New("no output")
		}
		if err, isErr := v.(error); isErr {
			return err
		}
	}
	return nil
}

func hasManager(objs []*unstructured.Unstructured, manager string) bool {
	for _, u := range objs {
		for _, mf := range u.GetManagedFields() {
			if mf.Manager == manager {
				return true
			}
		}
	}
	return false
}
