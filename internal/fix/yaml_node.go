package fix

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// The node-level edits below change a copied flow collection in memory;
// flowEdit writes it back.

// nodeAt follows path from n, creating mappings for missing keys when
// create is set. It returns nil when the path is missing.
func nodeAt(n *yaml.Node, path []seg, create bool) (*yaml.Node, error) {
	for _, s := range path {
		switch {
		case n.Kind == yaml.MappingNode && !s.isIndex():
			j := mapGet(n, s.key)
			if j < 0 {
				if !create {
					return nil, nil
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s.key},
					&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
				j = len(n.Content) - 2
			}
			if create && isNull(n.Content[j+1]) {
				n.Content[j+1] = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			}
			n = n.Content[j+1]
		case n.Kind == yaml.SequenceNode && s.isIndex() && s.index < len(n.Content):
			n = n.Content[s.index]
		default:
			if !create {
				return nil, nil
			}
			return nil, fmt.Errorf("cannot create %s", pathString([]seg{s}))
		}
		if n.Kind == yaml.AliasNode {
			return nil, fmt.Errorf("path goes through alias *%s", n.Value)
		}
	}
	return n, nil
}

func nodeSet(n *yaml.Node, path []seg, v *yaml.Node) error {
	if len(path) == 0 {
		return fmt.Errorf("empty path")
	}
	parent, err := nodeAt(n, path[:len(path)-1], true)
	if err != nil {
		return err
	}
	last := path[len(path)-1]
	switch {
	case parent.Kind == yaml.MappingNode && !last.isIndex():
		if j := mapGet(parent, last.key); j >= 0 {
			parent.Content[j+1] = v
			return nil
		}
		parent.Content = append(parent.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: last.key}, v)
		return nil
	case parent.Kind == yaml.SequenceNode && last.isIndex() && last.index < len(parent.Content):
		parent.Content[last.index] = v
		return nil
	}
	return fmt.Errorf("cannot set %s", pathString(path))
}

func nodeAppend(n *yaml.Node, path []seg, item *yaml.Node) error {
	s, err := nodeAt(n, path, false)
	if err != nil {
		return err
	}
	if s == nil || isNull(s) {
		return nodeSet(n, path, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}})
	}
	if s.Kind != yaml.SequenceNode {
		return fmt.Errorf("path %s is not a sequence", pathString(path))
	}
	s.Content = append(s.Content, item)
	return nil
}

func nodeDelete(n *yaml.Node, path []seg) error {
	if len(path) == 0 {
		return fmt.Errorf("empty path")
	}
	parent, err := nodeAt(n, path[:len(path)-1], false)
	if err != nil || parent == nil {
		return err
	}
	last := path[len(path)-1]
	switch {
	case parent.Kind == yaml.MappingNode && !last.isIndex():
		if j := mapGet(parent, last.key); j >= 0 {
			parent.Content = append(parent.Content[:j], parent.Content[j+2:]...)
		}
	case parent.Kind == yaml.SequenceNode && last.isIndex() && last.index < len(parent.Content):
		parent.Content = append(parent.Content[:last.index], parent.Content[last.index+1:]...)
	}
	return nil
}
