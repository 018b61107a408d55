package manifest

// LiveState is what live mode read from a cluster, as data for checks.
type LiveState struct {
	// Objects are live objects keyed by the Application that manages them.
	Objects map[string][]*Object
}
