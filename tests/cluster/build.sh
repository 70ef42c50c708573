#!/usr/bin/env bash
# Builds the local test control-plane binaries from published Go modules:
#   etcd, etcdctl             (tests/cluster/etcd, go.etcd.io/etcd/server/v3 and etcdctl/v3)
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet, kube-proxy
#                             (tests/cluster/k8s, k8s.io/kubernetes + staging replaces)
#   coredns                   (tests/cluster/coredns, github.com/coredns/coredns; real-node cluster DNS)
#   mg-pv-provisioner         (tests/cluster/k8s/cmd/mg-pv-provisioner, client-go; fake PV provisioner)
#   kwok                      (tests/cluster/kwok, sigs.k8s.io/kwok/cmd/kwok)
#   krew                      (tests/cluster/krew, sigs.k8s.io/krew/cmd/krew; the plugin's Krew install test)
#   multiadmin, multigres     (tests/cluster/multigres, github.com/multigres/multigres; the topology tests)
#   multigateway, multiorch, multipooler, pgctld
#                             (the same module; the real-node plane's Multigres images)
#
# Output goes to a cache dir outside the repo keyed by a hash of the module
# files, so a second run is a no-op:
#   ${MG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/multigres-operator}/cluster-bin/<hash>/
# The last line printed on stdout is that bin dir; everything else goes to stderr.
#
# Env: MG_CACHE_DIR (cache root), GO (go binary), MG_BUILD_JOBS (go build -p, default 2),
#      MG_FORCE_BUILD=1 (rebuild even if the cache dir is complete).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "build.sh: $*" >&2; }

if [[ -z "${GO:-}" ]]; then
	if command -v go >/dev/null 2>&1; then GO=go
	elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go
	else log "no go toolchain found (set GO=/path/to/go)"; exit 1; fi
fi

JOBS="${MG_BUILD_JOBS:-2}"
CACHE_ROOT="${MG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/multigres-operator}"
BINARIES=(etcd etcdctl kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy kwok
	mg-pv-provisioner krew coredns multiadmin multigres multigateway multiorch multipooler pgctld)

# Anything that changes the produced binaries goes into the key.
RECIPE_VERSION=1
key_inputs() {
	echo "recipe=$RECIPE_VERSION binaries=${BINARIES[*]}"
	echo "goversion=$("$GO" env GOVERSION) goos=$("$GO" env GOOS) goarch=$("$GO" env GOARCH)"
	local f
	for f in etcd/go.mod etcd/go.sum etcd/main.go etcd/tools.go coredns/go.mod coredns/go.sum coredns/tools.go k8s/go.mod k8s/go.sum k8s/cmd/mg-pv-provisioner/main.go \
		kwok/go.mod kwok/go.sum krew/go.mod krew/go.sum krew/tools.go \
		multigres/go.mod multigres/go.sum multigres/tools.go; do
		echo "== $f"
		cat "$HERE/$f"
	done
}
HASH="$(key_inputs | sha256sum | cut -c1-16)"
BIN_DIR="$CACHE_ROOT/cluster-bin/$HASH"

complete() {
	[[ -f "$BIN_DIR/.complete" ]] || return 1
	local b
	for b in "${BINARIES[@]}"; do [[ -x "$BIN_DIR/$b" ]] || return 1; done
}

if [[ "${MG_FORCE_BUILD:-0}" != 1 ]] && complete; then
	log "up to date: $BIN_DIR"
	echo "$BIN_DIR"
	exit 0
fi

mkdir -p "$CACHE_ROOT/cluster-bin"
# One build at a time per cache root.
exec 9>"$CACHE_ROOT/cluster-bin/.lock"
flock 9
if [[ "${MG_FORCE_BUILD:-0}" != 1 ]] && complete; then
	log "up to date (built concurrently): $BIN_DIR"
	echo "$BIN_DIR"
	exit 0
fi

STAGE="$(mktemp -d "$CACHE_ROOT/cluster-bin/.stage.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

export CGO_ENABLED=0
# -mod=readonly: the committed go.sum must be complete; a build never edits the repo.
export GOFLAGS="-mod=readonly -buildvcs=false -trimpath"
start=$(date +%s)

gobuild() { # <module dir> <ldflags> <packages...>
	local dir="$1" ldflags="$2"; shift 2
	log "go build ($dir): $*"
	(cd "$HERE/$dir" && "$GO" mod download && "$GO" build -p "$JOBS" -ldflags "$ldflags" -o "$STAGE/" "$@") >&2
}

# --- etcd (its own module so MVS keeps it apart from the k8s graph) ---
# `go build .` names the binary after the module path's last element: "etcd".
gobuild etcd "-s -w" . go.etcd.io/etcd/etcdctl/v3

# --- Kubernetes control plane + kubectl ---
KVER="$(cd "$HERE/k8s" && "$GO" list -m -f '{{.Version}}' k8s.io/kubernetes)"   # e.g. v1.34.10
KMAJOR="$(echo "$KVER" | sed -E 's/^v([0-9]+)\..*/\1/')"
KMINOR="$(echo "$KVER" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')"
kld="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	kld+=" -X $p.gitVersion=$KVER -X $p.gitMajor=$KMAJOR -X $p.gitMinor=$KMINOR"
	kld+=" -X $p.gitTreeState=clean"   # buildDate left at its default: reproducible binaries
done
gobuild k8s "$kld" \
	k8s.io/kubernetes/cmd/kube-apiserver \
	k8s.io/kubernetes/cmd/kube-controller-manager \
	k8s.io/kubernetes/cmd/kube-scheduler \
	k8s.io/kubernetes/cmd/kubectl \
	k8s.io/kubernetes/cmd/kubelet \
	k8s.io/kubernetes/cmd/kube-proxy \
	./cmd/mg-pv-provisioner

# --- kwok (fake kubelets) ---
gobuild kwok "-s -w" sigs.k8s.io/kwok/cmd/kwok

# --- krew (kubectl plugin manager, for tests/cli/krew_test.sh) ---
gobuild krew "-s -w" sigs.k8s.io/krew/cmd/krew

# --- CoreDNS (the real-node plane's cluster DNS) ---
gobuild coredns "-s -w" github.com/coredns/coredns

# --- Multigres: multiadmin and the CLI (topology tests), and the data-plane binaries (real-node images) ---
gobuild multigres "-s -w" github.com/multigres/multigres/go/cmd/multiadmin github.com/multigres/multigres/go/cmd/multigres \
	github.com/multigres/multigres/go/cmd/multigateway github.com/multigres/multigres/go/cmd/multiorch \
	github.com/multigres/multigres/go/cmd/multipooler github.com/multigres/multigres/go/cmd/pgctld

for b in "${BINARIES[@]}"; do
	[[ -x "$STAGE/$b" ]] || { log "missing $b after build"; exit 1; }
done
{
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ) seconds=$(( $(date +%s) - start ))"
	echo "kubernetes=$KVER"
	echo "recipe=$RECIPE_VERSION binaries=${BINARIES[*]}"
	echo "goversion=$("$GO" env GOVERSION) goos=$("$GO" env GOOS) goarch=$("$GO" env GOARCH)"
} >"$STAGE/.complete"

rm -rf "$BIN_DIR"
mv "$STAGE" "$BIN_DIR"
trap - EXIT
log "built in $(( $(date +%s) - start ))s: $BIN_DIR ($(du -sh "$BIN_DIR" | cut -f1))"
echo "$BIN_DIR"
