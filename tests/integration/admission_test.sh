#!/usr/bin/env bash
# Admission test: our CRDs and manifests against a real kube-apiserver (v1.34, tests/cluster).
#   usage: admission_test.sh [BIN_DIR]
# BIN_DIR holds the control-plane binaries (tests/cluster/build.sh prints it); empty or absent: run
# build.sh (a cache hit takes milliseconds; a cold build 10-20 minutes). Fails when there
# is no Go toolchain to find or build the binaries with.
#
# Steps, in a minimal plane (etcd + kube-apiserver) started in a fresh temp dir and always torn down:
#   1. every CRD in config/crd/bases installs with server-side apply, becomes Established and has no
#      NonStructuralSchema condition;
#   2. every config/samples/*.yaml applies (server-side) without error;
#   3. every tests/invalid/*.yaml marked `# caught-by: admission` is rejected: `kubectl apply
#      --server-side` exits non-zero and its output contains every `# expect-server: <substring>` of
#      the header. `# expect-server: (client) <substring>`: kubectl itself refuses the file before
#      anything reaches the server (bad YAML, unknown kind, ...), so the output must not say
#      "from server";
#   4. every one marked `# caught-by: resolver` is ACCEPTED by the server (only the resolver, which
#      sees several objects at once, catches it).
# Objects land in namespace mg-admission unless the manifest names its own (those namespaces are
# created first); what a case created is deleted before the next one.
# Prints `manifest -> rejected at admission | accepted (resolver catches it)` per case, then counts.
# Env: MG_ADMISSION_CASES (dir of manifests to use instead of tests/invalid, for testing this script).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cluster_sh=$root/tests/cluster/cluster.sh
start=$(date +%s)

bin=${1:-${MG_CLUSTER_BIN_DIR:-}}
if [ -z "$bin" ]; then
  if [ -z "${GO:-}" ] && ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
    echo "FAIL: no Go toolchain (go on PATH, /usr/local/go/bin/go or \$GO) to build the control plane"
    exit 1
  fi
  bin=$("$root/tests/cluster/build.sh" | tail -n1) || { echo "FAIL: tests/cluster/build.sh failed"; exit 1; }
fi
if [ ! -x "$bin/kubectl" ] || [ ! -x "$bin/kube-apiserver" ]; then
  echo "FAIL: no control-plane binaries in '$bin'"
  exit 1
fi
export MG_CLUSTER_BIN_DIR=$bin

work=$(mktemp -d /tmp/mg-admission.XXXXXX)
dir=$work/cluster
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*"
}
indent() { sed 's/^/    /'; }

cleanup() {
  local rc=$?
  trap '' PIPE # as in tests/e2e/lib.sh's e2e_cleanup: a dead reader must not stop the cleanup
  if [ -e "$dir" ]; then
    if [ "$rc" -ne 0 ]; then
      for f in "$dir"/logs/*.log; do [ -f "$f" ] && { echo "=== tail $f"; tail -n 20 "$f"; }; done
    fi
    "$cluster_sh" down --dir "$dir" >/dev/null 2>&1 || { echo "FAIL: cluster.sh down --dir $dir"; rc=1; }
  fi
  if [ -d "$dir.failed-logs" ]; then
    for f in "$dir".failed-logs/*.log; do [ -f "$f" ] && { echo "=== tail $f"; tail -n 20 "$f"; }; done
  fi
  rm -rf "$work" "$dir.failed-logs"
  echo "$passed passed, $failed failed ($(($(date +%s) - start)) s)"
  [ "$failed" -eq 0 ] || rc=1
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "--- cluster.sh up minimal --dir $dir"
if ! "$cluster_sh" up minimal --dir "$dir" >"$work/up.log" 2>&1; then
  indent <"$work/up.log"
  fail "cluster.sh up minimal"
  exit 1
fi
# A private copy of the admin kubeconfig whose context defaults to the test namespace, so manifests
# without metadata.namespace land there and those with one keep it (no -n that would conflict).
cp "$("$cluster_sh" kubeconfig --dir "$dir")" "$work/kubeconfig"
k() { "$bin/kubectl" --kubeconfig "$work/kubeconfig" "$@"; }
k config set-context --current --namespace=mg-admission >/dev/null
k create namespace mg-admission >/dev/null
apply() { k apply --server-side --field-manager=multigres-test "$@"; }

echo "--- CRDs (config/crd/bases)"
if ! out=$(apply -f "$root/config/crd/bases/" 2>&1); then
  echo "$out" | indent
  fail "server-side apply of config/crd/bases"
  exit 1
fi
crds=$(k get -f "$root/config/crd/bases/" -o name)
for crd in $crds; do
  if ! out=$(k wait --for condition=Established --timeout=60s "$crd" 2>&1); then
    fail "$crd: not Established: $out"
    continue
  fi
  nonstructural=$(k get "$crd" -o jsonpath='{.status.conditions[?(@.type=="NonStructuralSchema")].message}')
  if [ -n "$nonstructural" ]; then
    fail "$crd: NonStructuralSchema: $nonstructural"
    continue
  fi
  echo "${crd#*/}: Established, structural"
  ok
done

echo "--- samples (config/samples)"
for f in "$root"/config/samples/*.yaml; do
  name=${f#"$root"/}
  if out=$(apply -f "$f" 2>&1); then
    echo "$name -> accepted"
    ok
  else
    fail "$name: rejected by the server"
    echo "$out" | indent
  fi
done

# Namespaces the invalid manifests name themselves (default exists already).
cases=${MG_ADMISSION_CASES:-$root/tests/invalid}
while IFS= read -r ns; do
  k get namespace "$ns" >/dev/null 2>&1 || k create namespace "$ns" >/dev/null
done < <(sed -n 's/^  namespace: *\([a-z0-9-]*\).*/\1/p' "$cases"/*.yaml | sort -u)

echo "--- invalid manifests (${cases#"$root"/})"
admission=0
resolver=0
for f in "$cases"/*.yaml; do
  name=${f#"$root"/}
  header=$(sed -n '/^#/!q; p' "$f")
  by=$(sed -n 's/^# caught-by: *//p' <<<"$header")
  expects=()
  while IFS= read -r line; do expects+=("$line"); done < <(sed -n 's/^# expect-server: //p' <<<"$header")

  out=$(apply -f "$f" 2>&1)
  rc=$?
  case $by in
  admission)
    problems=()
    [ "${#expects[@]}" -gt 0 ] || problems+=("no '# expect-server:' line in the header")
    [ "$rc" -ne 0 ] || problems+=("accepted by the server (exit 0), want rejected")
    for e in "${expects[@]}"; do
      text=${e#"(client) "}
      grep -qF -- "$text" <<<"$out" || problems+=("output lacks \"$text\"")
      if [ "$text" != "$e" ] && grep -q "from server" <<<"$out"; then
        problems+=("expected kubectl to refuse it client-side, but the server answered")
      fi
    done
    if [ "${#problems[@]}" -eq 0 ]; then
      case ${expects[0]} in
      "(client) "*) echo "$name -> rejected at admission (kubectl refuses it client-side)" ;;
      *) echo "$name -> rejected at admission" ;;
      esac
      admission=$((admission + 1))
      ok
    else
      for p in "${problems[@]}"; do fail "$name: $p"; done
      echo "$out" | indent
    fi
    ;;
  resolver)
    if [ "$rc" -eq 0 ] && [ "${#expects[@]}" -eq 0 ]; then
      echo "$name -> accepted (resolver catches it)"
      resolver=$((resolver + 1))
      ok
    elif [ "${#expects[@]}" -ne 0 ]; then
      fail "$name: a resolver case has '# expect-server:' lines"
    else
      fail "$name: rejected by the server (exit $rc), want accepted: only the resolver should catch it"
      echo "$out" | indent
    fi
    ;;
  *)
    fail "$name: '# caught-by: $by', want admission or resolver"
    ;;
  esac
  # Whatever parts of the file were created (resolver cases; the valid documents of a multi-document
  # admission case) go, so no case sees another's objects.
  k delete --ignore-not-found --wait=false -f "$f" >/dev/null 2>&1 || true
done
echo "--- $admission rejected at admission, $resolver accepted (resolver catches them)"
