// Command etcd is etcd built from the published go.etcd.io/etcd/server/v3
// module, pinned by this directory's go.mod/go.sum. Used only by the local
// test control plane in tests/cluster.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
