package diffsem

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"sigs.k8s.io/yaml"
)

// argocd-cm keys, as in argo-cd util/settings/settings.go.
const (
	cmCustomizationsKey  = "resource.customizations"
	cmCompareOptionsKey  = "resource.compareoptions"
	customizationIgnore  = "ignoreDifferences"
	customizationKnownTF = "knownTypeFields"
)

// compareOptions is the subset of settings.ArgoCDDiffOptions we model.
type compareOptions struct {
	IgnoreAggregatedRoles     bool   `json:"ignoreAggregatedRoles,omitempty"`
	IgnoreResourceStatusField string `json:"ignoreResourceStatusField,omitempty"`
}

// ParseArgoCDConfigMap reads the diff customizations of an argocd-cm
// ConfigMap (as rendered or checked in) the way ArgoCD's SettingsManager
// does in GetResourceOverrides, appendResourceOverridesFromSplitKeys and
// GetResourceCompareOptions (argo-cd util/settings/settings.go): first the
// legacy `resource.customizations` YAML map, then every
// `resource.customizations.<type>.<group_kind>` key (whose ignoreDifferences
// replaces the legacy one for that key; `all` means "*/*"), then
// `resource.compareoptions`. Like ArgoCD, an unknown customization type or a
// value that does not parse is an error.
func ParseArgoCDConfigMap(obj map[string]any) (SystemRules, error) {
	var rules SystemRules
	data, err := configMapData(obj)
	if err != nil {
		return rules, err
	}
	overrides := map[string]v1alpha1.ResourceOverride{}
	if v := data[cmCustomizationsKey]; v != "" {
		if err := yaml.Unmarshal([]byte(v), &overrides); err != nil {
			return rules, fmt.Errorf("argocd-cm %s: %w", cmCustomizationsKey, err)
		}
	}
	for k, v := range data {
		if !strings.HasPrefix(k, cmCustomizationsKey) {
			continue
		}
		parts := strings.SplitN(k, ".", 4)
		if len(parts) < 4 {
			continue
		}
		key, err := overrideKey(parts[3])
		if err != nil {
			return rules, fmt.Errorf("argocd-cm %s: %w", k, err)
		}
		ro := overrides[key]
		if err := applyCustomization(&ro, parts[2], v); err != nil {
			return rules, fmt.Errorf("argocd-cm %s: %w", k, err)
		}
		overrides[key] = ro
	}
	for key, ro := range overrides {
		id := ro.IgnoreDifferences
		if len(id.JSONPointers)+len(id.JQPathExpressions)+len(id.ManagedFieldsManagers) > 0 {
			if key == allGroupKind {
				all := copyOverride(id)
				rules.All = &all
			} else {
				if rules.ByGroupKind == nil {
					rules.ByGroupKind = map[string]v1alpha1.OverrideIgnoreDiff{}
				}
				rules.ByGroupKind[key] = copyOverride(id)
			}
		}
		if len(ro.KnownTypeFields) > 0 {
			if rules.KnownTypeFields == nil {
				rules.KnownTypeFields = map[string][]v1alpha1.KnownTypeField{}
			}
			rules.KnownTypeFields[key] = ro.KnownTypeFields
		}
	}
	if v, ok := data[cmCompareOptionsKey]; ok {
		var co compareOptions
		if err := yaml.Unmarshal([]byte(v), &co); err != nil {
			return rules, fmt.Errorf("argocd-cm %s: %w", cmCompareOptionsKey, err)
		}
		rules.IgnoreResourceStatusField = co.IgnoreResourceStatusField
		rules.IgnoreAggregatedRoles = co.IgnoreAggregatedRoles
	}
	return rules, nil
}

// configMapData extracts .data as strings; the API server would reject any
// other value type, so we do too.
func configMapData(obj map[string]any) (map[string]string, error) {
	out := map[string]string{}
	raw, ok := obj["data"]
	if !ok || raw == nil {
		return out, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("argocd-cm data: want a map, got %T", raw)
	}
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("argocd-cm data.%s: want a string, got %T", k, v)
		}
		out[k] = s
	}
	return out, nil
}

// overrideKey converts the <group_kind> suffix of a split key the way
// convertToOverrideKey does, mapping "all" to "*/*".
func overrideKey(groupKind string) (string, error) {
	parts := strings.Split(groupKind, "_")
	switch {
	case len(parts) == 2:
		return parts[0] + "/" + parts[1], nil
	case len(parts) == 1 && groupKind != "":
		if groupKind == "all" {
			return allGroupKind, nil
		}
		return groupKind, nil
	}
	return "", fmt.Errorf("group kind %q: want <group>_<kind>, <kind> or all", groupKind)
}

func applyCustomization(ro *v1alpha1.ResourceOverride, typ, value string) error {
	switch typ {
	case "health":
		ro.HealthLua = value
	case "actions":
		ro.Actions = value
	case "useOpenLibs":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return err
		}
		ro.UseOpenLibs = b
	case customizationIgnore:
		var id v1alpha1.OverrideIgnoreDiff
		if err := yaml.Unmarshal([]byte(value), &id); err != nil {
			return err
		}
		ro.IgnoreDifferences = id
	case "ignoreResourceUpdates":
		var id v1alpha1.OverrideIgnoreDiff
		if err := yaml.Unmarshal([]byte(value), &id); err != nil {
			return err
		}
		ro.IgnoreResourceUpdates = id
	case customizationKnownTF:
		var f []v1alpha1.KnownTypeField
		if err := yaml.Unmarshal([]byte(value), &f); err != nil {
			return err
		}
		ro.KnownTypeFields = f
	default:
		return fmt.Errorf("resource customization type %q is not supported by ArgoCD", typ)
	}
	return nil
}
