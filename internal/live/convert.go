package live

import (
	"encoding/json"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// toMap turns object metadata into its JSON form, the shape checks read.
func toMap(md *metav1.ObjectMeta) (map[string]any, error) {
	b, err := json.Marshal(md)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}
