//go:build tools

// Package tools pins the Kubernetes control-plane commands that build.sh
// compiles from the published k8s.io/kubernetes module, so that go.mod/go.sum
// record every module they need.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
