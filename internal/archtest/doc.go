// Package archtest holds only tests: they keep the dependency rules of
// DESIGN.md §4 and STYLE.md §5.1 true as the code grows.
package archtest
