//go:build tools

// Package tools pins the Kubernetes commands that build.sh compiles from the
// published k8s.io/kubernetes module (the control plane, kubectl, and the
// kubelet and kube-proxy of the real-node plane), so that go.mod/go.sum record
// every module they need.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
