//go:build tools

package main

// etcdctl (same release as the server) is pinned here so that go.mod/go.sum
// record its modules: the real-node etcd image carries it, and tests run
// `etcdctl endpoint health` from inside an etcd pod.
import _ "go.etcd.io/etcd/etcdctl/v3"
