#!/usr/bin/env bash
# The Krew release, installed for real: krew/package.sh builds the archive and manifest from the built
# plugin; krew (sigs.k8s.io/krew v0.4.4, built by tests/cluster/build.sh, cached) installs them into a
# private KREW_ROOT with no network (proxies point at a closed port); `kubectl multigres version --client`
# through KREW_ROOT/bin must say VERSION; a manifest with a wrong sha256 is refused; uninstall removes it.
# Usage: krew_test.sh PLUGIN_BINARY
# shellcheck disable=SC2015  # `check && ok || fail`
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
plugin="$(readlink -f "${1:?plugin binary}")"
version="$(tr -d '[:space:]' <"$root/VERSION")"
failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failed=1; }
check() {  # DESCRIPTION WANT GOT
  if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: want '$2', got '$3'"; fi
}

bin="$("$root/tests/cluster/build.sh" 2>/dev/null | tail -n1)"
[[ -x "$bin/krew" && -x "$bin/kubectl" ]] || { echo "FAIL: no krew/kubectl in '$bin' (tests/cluster/build.sh)"; exit 1; }
work="$(mktemp -d /tmp/mg-krew-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# A private Krew home and PATH (no build dir, no ~/.krew), kubectl finding krew as `kubectl krew`.
mkdir -p "$work/tools" "$work/home"
ln -s "$bin/kubectl" "$work/tools/kubectl"
ln -s "$bin/krew" "$work/tools/kubectl-krew"
export HOME="$work/home" KREW_ROOT="$work/krew" KREW_NO_UPGRADE_CHECK=1
export PATH="$KREW_ROOT/bin:$work/tools:/usr/local/bin:/usr/bin:/bin"
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9
if command -v kubectl-multigres >/dev/null; then fail "kubectl-multigres already on PATH: $(command -v kubectl-multigres)"; fi

# Krew's list and uninstall need a local plugin index (a git clone of krew-index after `kubectl krew
# update`); offline, an empty git repository stands in for it.
git init -q "$KREW_ROOT/index/default"

# --- package
manifest="$("$root/krew/package.sh" "$plugin" "$work/release" | tail -n1)"
archive="$work/release/kubectl-multigres-v$version-linux-amd64.tar.gz"
[[ -f "$manifest" && -f "$archive" ]] && ok "package.sh wrote $(basename "$archive") and $(basename "$manifest")" ||
  { fail "package.sh output missing"; exit 1; }
check "archive holds the binary and LICENSE" "LICENSE kubectl-multigres" "$(tar -tzf "$archive" | sort | paste -sd' ')"
check "archive's LICENSE is the top-level one" "$(sha256sum <"$root/LICENSE")" "$(tar -xzOf "$archive" LICENSE | sha256sum)"
sha="$(sha256sum "$archive" | cut -d' ' -f1)"
check "manifest sha256 is the archive's" "$sha" "$(sed -n 's/^ *sha256: *//p' "$manifest")"
check "manifest version" "v$version" "$(sed -n 's/^  version: *//p' "$manifest")"
check "manifest uri names the archive" "kubectl-multigres-v$version-linux-amd64.tar.gz" "$(sed -n 's|^ *uri: .*/||p' "$manifest")"
again="$("$root/krew/package.sh" "$plugin" "$work/release2" 2>/dev/null | tail -n1)"
check "the archive is reproducible" "$sha" "$(sha256sum "$(dirname "$again")/$(basename "$archive")" | cut -d' ' -f1)"

# --- a manifest whose sha256 does not match is refused, and installs nothing
# A well-formed sha256 that is not the archive's (the LICENSE's).
mkdir -p "$work/bad"
sed "s/$sha/$(sha256sum <"$root/LICENSE" | cut -d' ' -f1)/" "$manifest" >"$work/bad/multigres.yaml"
if out="$(kubectl krew install --manifest="$work/bad/multigres.yaml" --archive="$archive" 2>&1)"; then
  fail "krew installed an archive with the wrong sha256"
else
  grep -qi 'checksum\|sha256' <<<"$out" && ok "wrong sha256 refused: $(grep -i -m1 'checksum\|sha256' <<<"$out")" ||
    fail "refused, but not for the sha256: $out"
fi
[[ ! -e "$KREW_ROOT/bin/kubectl-multigres" ]] && ok "nothing installed after the refusal" || fail "kubectl-multigres installed anyway"

# --- install, run through Krew's PATH, uninstall
if out="$(kubectl krew install --manifest="$manifest" --archive="$archive" 2>&1)"; then
  ok "kubectl krew install --manifest --archive"
else
  fail "kubectl krew install: $out"
fi
# Installed from a manifest, not from an index: Krew lists it as detached.
check "kubectl krew list" "detached/multigres" "$(kubectl krew list 2>/dev/null | grep multigres)"
check "kubectl-multigres resolves to Krew's bin" "$KREW_ROOT/bin/kubectl-multigres" "$(command -v kubectl-multigres)"
check "kubectl multigres version --client through Krew" "kubectl-multigres $version" "$(kubectl multigres version --client 2>&1)"
[[ -f "$KREW_ROOT/store/multigres/v$version/LICENSE" ]] && ok "LICENSE installed with the plugin" || fail "no LICENSE in the store"
if out="$(kubectl krew uninstall multigres 2>&1)"; then ok "kubectl krew uninstall multigres"; else fail "uninstall: $out"; fi
[[ ! -e "$KREW_ROOT/bin/kubectl-multigres" && ! -e "$KREW_ROOT/store/multigres" ]] && ok "uninstall removed the plugin" ||
  fail "plugin still installed after uninstall"
kubectl multigres version --client >/dev/null 2>&1 && fail "kubectl multigres still runs after uninstall" || ok "kubectl multigres is gone"

[[ $failed -eq 0 ]] && echo "krew_test: all passed" || echo "krew_test: FAILED"
exit $failed
