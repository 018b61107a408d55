// Package suppress applies the user's suppressions to the findings of a
// run: ignorePaths globs from .syncdoctor.yaml, inline
// `syncdoctor:ignore CHECK-ID reason="..."` comments in YAML, HCL and Helm
// templates, the `syncdoctor.io/ignore` annotation of an Application, and a
// baseline of finding fingerprints. It imports only internal/finding (and
// a glob matcher), so internal/check can share the directive parser with
// the suppression-without-reason check.
package suppress
