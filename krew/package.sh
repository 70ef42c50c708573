#!/usr/bin/env bash
# Builds the Krew release of the plugin from a built binary:
#   krew/package.sh PLUGIN_BINARY OUT_DIR
# writes OUT_DIR/kubectl-multigres-v<VERSION>-linux-amd64.tar.gz (kubectl-multigres stripped + LICENSE, reproducible:
# sorted, owner 0, mtime 0, gzip -n), its .sha256, and OUT_DIR/multigres.yaml: krew/multigres.yaml with the
# version, the download URI and the archive's sha256 filled in. The last line on stdout is the manifest path.
#
# The binary must say the version in VERSION (`version --client`), so a stale build is never released.
# Env: MG_RELEASE_URL_BASE (default https://github.com/multigres/multigres-operator/releases/download/v<VERSION>)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "krew/package.sh: $*" >&2; exit 1; }

[[ $# -eq 2 ]] || die "usage: krew/package.sh PLUGIN_BINARY OUT_DIR"
binary=$1 out=$2
[[ -x "$binary" ]] || die "not an executable: $binary (build it: cmake --build BUILD_DIR --target kubectl-multigres)"

version="$(tr -d '[:space:]' <"$ROOT/VERSION")"
said="$("$binary" version --client)"
[[ "$said" == "kubectl-multigres $version" ]] ||
	die "the binary says '$said', VERSION is $version: rebuild it before packaging"

archive="kubectl-multigres-v$version-linux-amd64.tar.gz"
uri="${MG_RELEASE_URL_BASE:-https://github.com/multigres/multigres-operator/releases/download/v$version}/$archive"

mkdir -p "$out"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
install -s -m 0755 "$binary" "$stage/kubectl-multigres"  # stripped: no debug info in a release
install -m 0644 "$ROOT/LICENSE" "$stage/LICENSE"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - kubectl-multigres LICENSE |
	gzip -n -9 >"$out/$archive"
sha="$(sha256sum "$out/$archive" | cut -d' ' -f1)"
echo "$sha  $archive" >"$out/$archive.sha256"

# Literal substitution of the three placeholders; anything left like ${...} is a template error.
sed -e "s|\${VERSION}|$version|g" -e "s|\${URI}|$uri|g" -e "s|\${SHA256}|$sha|g" \
	"$ROOT/krew/multigres.yaml" >"$out/multigres.yaml"
# shellcheck disable=SC2016  # a literal ${
if grep -n '\${' "$out/multigres.yaml" >&2; then die "unfilled placeholder in krew/multigres.yaml"; fi

echo "archive:  $out/$archive (sha256 $sha)" >&2
echo "manifest: $out/multigres.yaml (uri $uri)" >&2
echo "$out/multigres.yaml"
