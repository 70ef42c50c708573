#!/usr/bin/env bash
# Shell completion through the real binary: the bash script really completes words, kubectl's helper
# (kubectl_complete-multigres) answers in cobra's format and kubectl's own completion uses it, and the
# zsh script parses when zsh exists.
# Usage: completion_test.sh PLUGIN_DIR (holding kubectl-multigres and kubectl_complete-multigres)
set -uo pipefail
dir=$(cd "${1:?plugin build dir}" && pwd)
export PATH="$dir:$PATH"
failed=0
check() {  # DESCRIPTION WANT GOT
  if [[ "$2" == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: want '$2', got '$3'"; failed=1; fi
}

# shellcheck source=/dev/null
source <(kubectl-multigres completion bash)
complete_words() {  # WORDS... (the last is the word being completed)
  COMP_WORDS=(kubectl-multigres "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _kubectl_multigres
  echo "${COMPREPLY[*]}"
}
check "bash: a command from its prefix" "add" "$(complete_words ad)"
check "bash: the subcommands of add" "cell database shard tablegroup" "$(complete_words add '')"
check "bash: options of status" "--namespace" "$(complete_words status --names)"
check "bash: nothing for an unknown prefix" "" "$(complete_words zz)"
check "kubectl_complete-multigres: cobra format" "$(printf 'cell\n:4')" "$(kubectl_complete-multigres remove c)"
[[ -x "$dir/kubectl_complete-multigres" ]] && echo "ok: helper installed next to the binary" || { echo "FAIL: no helper"; failed=1; }
# kubectl's own completion of `kubectl multigres ...` (the kubectl built by tests/cluster, cached).
bin=$("$(dirname "${BASH_SOURCE[0]}")/../cluster/build.sh" 2>/dev/null | tail -n1)
check "kubectl __complete multigres add ''" "$(printf 'cell\ndatabase\nshard\ntablegroup\n:4')" \
  "$("$bin/kubectl" __complete multigres add '' 2>/dev/null)"
if command -v zsh >/dev/null; then
  zsh -n <(kubectl-multigres completion zsh) && echo "ok: zsh script parses" || { echo "FAIL: zsh script"; failed=1; }
else
  kubectl-multigres completion zsh | grep -q '^compdef _kubectl_multigres kubectl-multigres$' &&
    echo "ok: zsh script printed (zsh not installed: not parsed)" || { echo "FAIL: zsh script"; failed=1; }
fi
kubectl-multigres completion fish >/dev/null 2>&1
check "an unknown shell is a usage error" 2 $?
exit $failed
