//go:build tools

// Package tools pins sigs.k8s.io/krew/cmd/krew (the kubectl plugin manager) so that go.mod/go.sum
// record every module it needs. tests/cli/krew_test.sh installs the release archive with it, as a
// user would. Its own module so krew's client-go version does not mix with the control plane's.
package tools

import (
	_ "sigs.k8s.io/krew/cmd/krew"
)
