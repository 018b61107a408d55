// Package kubei18n stops kubectl's packages from loading their message
// translations. ArgoCD's diff packages import kubectl commands, whose
// package variables call i18n.T at program start; the first call parsed
// kubectl's gettext catalogue, a quarter of syncdoctor's start-up time
// (25 ms of every run), for help texts syncdoctor never prints.
//
// kubectl documents this hook (k8s.io/kubectl/pkg/util/i18n
// SetLoadTranslationsFunc): it must run in an init before any i18n.T
// call. Go initializes ready packages in import-path order, and this
// package's path sorts before every k8s.io package, so importing it
// anywhere in the binary is enough; TestTranslationsNotLoaded checks it.
package kubei18n

import "k8s.io/kubectl/pkg/util/i18n"

func init() {
	// Only an error when translations were loaded already, which the
	// test catches.
	_ = i18n.SetLoadTranslationsFunc(func() error { return nil })
}
