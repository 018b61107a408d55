package values

// trie holds every read path of the executed templates.
type trie struct {
	children map[string]*trie
	read     bool // this exact path is read
	whole    bool // everything below is read
}

func (t *trie) add(r Read) {
	cur := t
	for _, k := range r.Path {
		if cur.children == nil {
			cur.children = map[string]*trie{}
		}
		next, ok := cur.children[k]
		if !ok {
			next = &trie{}
			cur.children[k] = next
		}
		cur = next
	}
	cur.read = true
	cur.whole = cur.whole || r.Whole
}

func (ix *Index) buildTrie() {
	ix.trie = &trie{}
	for _, name := range ix.names {
		for _, r := range ix.templates[name].reads {
			ix.trie.add(r)
		}
	}
}

// ReadsPath reports whether any executed template may read the value at p
// (root-chart coordinates): p itself or a key below it is read, or a
// prefix of p is read whole (toYaml, range, printed, tpl, a computed index,
// an unknown function). A key that only a condition looks at the parent of
// (`if .Values.a` for p = a.b) is not read. A subchart's "sub.global.x"
// answers as "global.x" does, since both reach the subchart's
// .Values.global.x. When the analysis was incomplete, every path is read.
func (ix *Index) ReadsPath(p Path) bool {
	if ix.gaveUp != "" {
		return true
	}
	if ix.trie.reads(p) {
		return true
	}
	for _, s := range ix.root.along(p) {
		if s.parent != nil && len(p) > len(s.prefix) && p[len(s.prefix)] == "global" {
			if ix.trie.reads(Path{"global"}.Child(p[len(s.prefix)+1:]...)) {
				return true
			}
		}
	}
	return false
}

func (t *trie) reads(p Path) bool {
	cur := t
	for _, k := range p {
		if cur.whole {
			return true
		}
		next, ok := cur.children[k]
		if !ok {
			return false
		}
		cur = next
	}
	return cur.read || len(cur.children) > 0
}
