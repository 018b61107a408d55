// Package fix applies the machine-applicable edits of findings to the
// user's files: YAML surgically (the original bytes are kept and only the
// edited region is replaced, so comments, key order, indentation and
// document separators survive), Terraform through hclwrite, templates by
// exact text replacement. Files are written atomically, and a dry run
// shows the same changes as a unified diff.
package fix
