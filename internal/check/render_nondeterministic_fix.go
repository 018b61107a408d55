package check

import (
	"encoding/json"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// respectOption is the sync option that makes a sync keep the live value
// of every field an ignoreDifferences rule matches (argo-cd v3.5.7
// controller/sync.go: with it, normalizeTargetResources copies the live
// values of the ignored fields, status aside, into the manifests the sync
// applies; an object that does not exist yet is created as rendered).
const respectOption = "RespectIgnoreDifferences=true"

// hasRespect tells whether app's sync policy already sets respectOption.
func hasRespect(app *target.Application) bool {
	sp := app.App.Spec.SyncPolicy
	return sp != nil && sp.SyncOptions.HasOption(respectOption)
}

// ndFixTitle is the title of the ignore fixes: the rule alone keeps the
// app Synced, but a sync would still apply the new render's value unless
// the app respects its ignore rules.
func ndFixTitle(app *target.Application) string {
	if hasRespect(app) {
		return "Ignore the regenerated fields; RespectIgnoreDifferences=true, already set, keeps their live values on sync (validated: the two renders compare in sync)"
	}
	return "Ignore the regenerated fields and add RespectIgnoreDifferences=true so syncs keep their live values (validated: the two renders compare in sync)"
}

// respectOnSync extends ignoreFixes' fixes for app so that each also adds
// respectOption to spec.syncPolicy.syncOptions: in the YAML patch and
// edit, in the Terraform snippet and edit (appends skip an option already
// there, and keep the file's other options and comments), and in the
// kubectl merge patch, which carries the app's existing options because a
// JSON merge patch replaces lists (RFC 7386). The option is not added
// when the app already has it. Every fix is titled by ndFixTitle.
func respectOnSync(app *target.Application, fixes []finding.Fix) []finding.Fix {
	respect := hasRespect(app)
	opt := "- " + respectOption + "\n"
	for i := range fixes {
		f := &fixes[i]
		f.Title = ndFixTitle(app)
		if f.Kind == finding.FixKubectl {
			f.Title += " in the cluster now (keeps the existing rules and sync options)"
		}
		if respect {
			continue
		}
		switch f.Kind {
		case finding.FixYAML:
			f.Patch += "  syncPolicy:\n    syncOptions:\n      " + opt
			if len(f.Edits) > 0 {
				f.Edits = append(f.Edits, finding.Edit{
					File: app.Declared.File, Document: app.DocIndex, Path: "spec.syncPolicy.syncOptions",
					Op: finding.OpAppend, Value: opt,
				})
			}
		case finding.FixTerraform:
			f.Patch += "# in " + app.TerraformAddress + ", manifest.spec.syncPolicy (append to an existing list)\nsyncOptions = [\"" + respectOption + "\"]\n"
			if len(f.Edits) > 0 {
				f.Edits = append(f.Edits, finding.Edit{
					File: app.Declared.File, Path: app.TerraformAddress + ".manifest.spec.syncPolicy.syncOptions",
					Op: finding.OpAppend, Value: opt,
				})
			}
		case finding.FixKubectl:
			f.Patch = withSyncOption(app, f.Patch)
		}
	}
	return fixes
}

// withSyncOption adds spec.syncPolicy.syncOptions (the app's options and
// respectOption) to the JSON body of a `kubectl patch ... --type merge -p
// '<body>'` command built by kubectlList; the command is returned as is
// when it is not one.
func withSyncOption(app *target.Application, cmd string) string {
	i := strings.Index(cmd, " -p '")
	if i < 0 || !strings.HasSuffix(cmd, "'") {
		return cmd
	}
	raw := strings.ReplaceAll(cmd[i+len(" -p '"):len(cmd)-1], `'\''`, "'")
	// Raw entries keep the rules' text as kubectlList wrote it.
	var body map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &body); err != nil || body["spec"] == nil {
		return cmd
	}
	var opts []string
	if sp := app.App.Spec.SyncPolicy; sp != nil {
		opts = append(opts, sp.SyncOptions...)
	}
	sp, err := json.Marshal(map[string]any{"syncOptions": append(opts, respectOption)})
	if err != nil {
		return cmd
	}
	body["spec"]["syncPolicy"] = sp
	out, err := json.Marshal(body)
	if err != nil {
		return cmd
	}
	return cmd[:i] + " -p '" + strings.ReplaceAll(string(out), "'", `'\''`) + "'"
}
