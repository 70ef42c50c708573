//go:build tools

// Package tools pins the commands of github.com/multigres/multigres so that
// go.mod/go.sum record every module they need: multiadmin (the admin server;
// the topology tests start it against a real etcd and read the cells and
// databases the operator registered through its REST API) and the multigres
// CLI (its `createclustermetadata` writes the reference records the tests
// compare the operator's bytes with); and multigateway, multiorch, multipooler
// and pgctld, which the real-node plane's Multigres images carry.
package tools

import (
	_ "github.com/multigres/multigres/go/cmd/multiadmin"
	_ "github.com/multigres/multigres/go/cmd/multigateway"
	_ "github.com/multigres/multigres/go/cmd/multigres"
	_ "github.com/multigres/multigres/go/cmd/multiorch"
	_ "github.com/multigres/multigres/go/cmd/multipooler"
	_ "github.com/multigres/multigres/go/cmd/pgctld"
)
