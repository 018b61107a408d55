// Package finding holds syncdoctor's core vocabulary: where something is
// (Location, ObjectRef), how bad it is (Severity), and what syncdoctor says
// about it (Finding, Evidence, Fix). It imports nothing of the module so every
// other package, reporters included, can depend on it.
package finding
