//go:build tools

// Package tools pins sigs.k8s.io/kwok/cmd/kwok (the fake-kubelet controller)
// so that go.mod/go.sum record every module it needs. Kept in its own module
// so its client-go version does not mix with the k8s control-plane module.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
