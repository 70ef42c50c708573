#!/usr/bin/env bash
# Runs `kubectl-multigres validate -f FILE` on every manifest in tests/invalid/ and on the samples.
#   usage: run_cli.sh /path/to/kubectl-multigres
# An invalid manifest must exit 1 (never crash: no exit code >= 128) and stderr must name every
# `# expect: <path>: <message>` of its header on one line; a manifest marked `# offline: no` need only
# not crash. Every sample must exit 0.
set -u

bin=${1:?usage: run_cli.sh /path/to/kubectl-multigres}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
err=$(mktemp)
trap 'rm -f "$err"' EXIT

failures=0
checked=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

for file in "$here"/*.yaml; do
  name=${file#"$root"/}
  checked=$((checked + 1))
  "$bin" validate -f "$file" >/dev/null 2>"$err"
  rc=$?
  if [ "$rc" -ge 128 ]; then
    fail "$name: crashed (exit $rc)"
    sed 's/^/    /' "$err" >&2
    continue
  fi
  if grep -q '^# offline: no' "$file"; then
    continue
  fi
  if [ "$rc" -ne 1 ]; then
    fail "$name: exit $rc, want 1"
    sed 's/^/    /' "$err" >&2
    continue
  fi
  # Header lines only: the leading comment block.
  while IFS= read -r line; do
    expect=${line#\# expect: }
    path=${expect%%: *}
    text=${expect#*: }
    if [ "$path" = "(none)" ]; then
      grep -qF -- "$text" "$err" || fail "$name: stderr lacks \"$text\""
    elif ! grep -F -- ": $path: " "$err" | grep -qF -- "$text"; then
      fail "$name: stderr lacks \"$path: $text\""
      sed 's/^/    /' "$err" >&2
    fi
  done < <(sed -n '/^#/!q; /^# expect: /p' "$file")
done

if [ "$checked" -lt 45 ]; then
  fail "only $checked invalid manifests in $here (want at least 45)"
fi

check_valid() {
  local args=()
  for f in "$@"; do args+=(-f "$root/config/samples/$f"); done
  "$bin" validate "${args[@]}" >/dev/null 2>"$err"
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "samples $*: exit $rc, want 0"
    sed 's/^/    /' "$err" >&2
  fi
}
check_valid minimal.yaml
check_valid templated.yaml
check_valid inline.yaml
check_valid power-user.yaml
check_valid small-templates.yaml minimal.yaml
check_valid small-templates.yaml two-cells.yaml
check_valid example-cluster.yaml cell-template.yaml shard-template.yaml

# Valid but not servable by the pinned Multigres: one warning per such shard on stderr, naming its
# field and the version; exit 0. A servable sample warns about nothing.
"$bin" validate -f "$root/config/samples/power-user.yaml" >/dev/null 2>"$err"
rc=$?
warnings=$(grep -c '^warning: .*: spec\.databases\[0\]\.tablegroups\[0\]\.shards\[[01]\]: shard users_db/auth/[01] cannot be served by Multigres v0\.1\.0' "$err")
if [ "$rc" -ne 0 ] || [ "$warnings" -ne 2 ]; then
  fail "power-user.yaml: exit $rc and $warnings matching warnings, want 0 and 2"
  sed 's/^/    /' "$err" >&2
fi
"$bin" validate -f "$root/config/samples/minimal.yaml" >/dev/null 2>"$err"
if [ -s "$err" ]; then
  fail "minimal.yaml: validate wrote to stderr"
  sed 's/^/    /' "$err" >&2
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "ok: $checked invalid manifests rejected, samples valid"
