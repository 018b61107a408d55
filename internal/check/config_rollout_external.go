package check

import (
	"fmt"
	"maps"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// externalFinding reports a source the Target does not render: no
// checksum can see it, only Reloader can roll the pods.
func externalFinding(in *Input, rd *Rendered, p crPair, site *crSite, fx *fixer) finding.Finding {
	who := creatorOf(in, rd, p.w.Obj.Ref.Namespace, p.s)
	f := finding.Finding{
		Severity: finding.Info,
		App:      rd.Target.App.Name(), Env: rd.Target.Env, Object: p.w.Obj.Ref, Location: siteLoc(site, p.w.Obj),
		Message: fmt.Sprintf("%s is not rendered by this application (%s), so no checksum can roll %s when it changes",
			p.s, who.text, wlText(p.w.Obj)),
		Evidence: []finding.Evidence{{Label: "created by", Value: who.text, At: who.at}, {Label: "read by", Value: p.s.Via}},
		Impact:   "when the " + p.s.Kind + " is rewritten, " + staleText(p.s),
	}
	fx.addReloader(&f, rd, p)
	return f
}

type crCreator struct {
	text string
	at   finding.Location
}

// creatorOf searches every Target's objects for what creates the source: an
// ExternalSecret whose target.name (default: its own name) is the Secret,
// a SealedSecret of that name, or the object itself in another app.
func creatorOf(in *Input, self *Rendered, ns string, s crSource) crCreator {
	for _, rd := range in.Targets {
		if !sameCluster(self, rd) {
			continue // a namesake in another cluster creates nothing here
		}
		for _, o := range rd.Objects {
			if o.Ref.Namespace != ns && o.Ref.Namespace != "" {
				continue
			}
			app := rd.Target.App.Name()
			where := "in app " + app
			if rd == self {
				where = "in this app"
			}
			switch {
			case s.Kind == "Secret" && o.Ref.Group == "external-secrets.io" && o.Ref.Kind == "ExternalSecret":
				name := manifest.GetString(o.Content, "spec", "target", "name")
				if name == "" {
					name = o.Ref.Name
				}
				if name == s.Name {
					return crCreator{text: fmt.Sprintf("created by ExternalSecret `%s` %s", o.Ref.Name, where), at: o.Location()}
				}
			case s.Kind == "Secret" && o.Ref.Group == "cert-manager.io" && o.Ref.Kind == "Certificate" &&
				manifest.GetString(o.Content, "spec", "secretName") == s.Name:
				return crCreator{text: fmt.Sprintf("created by cert-manager Certificate `%s` %s", o.Ref.Name, where), at: o.Location()}
			case s.Kind == "Secret" && o.Ref.Group == "bitnami.com" && o.Ref.Kind == "SealedSecret" && o.Ref.Name == s.Name:
				return crCreator{text: fmt.Sprintf("created by SealedSecret `%s` %s", o.Ref.Name, where), at: o.Location()}
			case rd != self && o.Ref.Kind == s.Kind && o.Ref.Group == "" && o.Ref.Name == s.Name:
				return crCreator{text: "rendered by app " + app, at: o.Location()}
			}
		}
	}
	if s.Kind == "SecretProviderClass" {
		return crCreator{text: "mounted by the Secrets Store CSI driver"}
	}
	return crCreator{text: "created outside the applications in this repository"}
}

// sameCluster reports whether two Targets deploy to the same cluster, by
// their Applications' destination server or name; an Application that
// names neither (or one of each, which only the cluster secrets can
// relate) is given the benefit of the doubt.
func sameCluster(a, b *Rendered) bool {
	if a == b {
		return true
	}
	da, db := a.Target.App.App.Spec.Destination, b.Target.App.App.Spec.Destination
	switch {
	case da.Server != "" && db.Server != "":
		return da.Server == db.Server
	case da.Name != "" && db.Name != "":
		return da.Name == db.Name
	}
	return true
}

// plainFinding reports a source in a plain manifest directory (or a
// kustomize object without a hash suffix): nothing renders a checksum.
func plainFinding(rd *Rendered, p crPair, site *crSite, fx *fixer) finding.Finding {
	f := finding.Finding{
		App: rd.Target.App.Name(), Env: rd.Target.Env, Object: p.w.Obj.Ref, Location: siteLoc(site, p.w.Obj),
		Message:  fmt.Sprintf("changing %s does not change %s's pod template", p.s, wlText(p.w.Obj)),
		Evidence: []finding.Evidence{{Label: "config", Value: p.s.String() + " is written in Git separately from the pod template", At: p.obj.Location()}, {Label: "read by", Value: p.s.Via}},
		Impact:   "ArgoCD applies the edited " + p.s.Kind + " and reports Synced, but " + staleText(p.s),
	}
	if rd.Target.Kind != "directory" || p.w.Obj.File == "" {
		return f
	}
	key := reloadKeyFor(p.s)
	val := p.s.Name
	if old, ok := p.w.Obj.Annotations()[key]; ok && old != "" {
		val = old + "," + p.s.Name
	}
	// Check the edit on a copy of the workload before proposing it.
	c := &manifest.Object{Content: map[string]any{"metadata": map[string]any{"annotations": toAny(with(p.w.Obj.Annotations(), key, val))}, "spec": p.w.Obj.Content["spec"]}}
	if ok, _ := reloaderCovers(c, p.s, p.obj.Annotations()); !ok {
		return f
	}
	f.Fixes = []finding.Fix{{
		Title: fmt.Sprintf("Annotate %s for Reloader to restart it when %s changes", wlText(p.w.Obj), p.s),
		Kind:  finding.FixYAML, File: p.w.Obj.File,
		Patch: fmt.Sprintf("# %s (%s)\nmetadata:\n  annotations:\n    %s: %q\n", p.w.Obj.File, wlText(p.w.Obj), key, val),
		Edits: []finding.Edit{{File: p.w.Obj.File, Document: p.w.Obj.Doc, Path: "metadata.annotations", Op: finding.OpMerge, Value: fmt.Sprintf("%s: %q", key, val)}},
	}}
	return f
}

func reloadKeyFor(s crSource) string {
	if s.Kind == "ConfigMap" {
		return "configmap" + rlDomain + "reload"
	}
	return "secret" + rlDomain + "reload"
}

func with(m map[string]string, k, v string) map[string]string {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	out[k] = v
	return out
}

func toAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
