//go:build tools

// Package tools pins CoreDNS, the real-node plane's cluster DNS (its default
// plugin set carries `kubernetes` and `forward`), so that go.mod/go.sum record
// every module it needs. build.sh compiles github.com/coredns/coredns.
package tools

import _ "github.com/coredns/coredns"
