#!/usr/bin/env bash
# shellcheck disable=SC2015  # `check && ok || fail`: ok never fails
# The docs work as written: every ```sh block of the user-facing pages (DOC_PAGES below) is run, in page
# order, by bash -euo pipefail against a fresh full plane, with `kubectl multigres` on PATH, from the
# repository root (as a reader in a checkout would; the pages write no file there). One ok/fail per
# block; the first failing block stops its page (later blocks build on it) and is named by file:line.
#
# The pages install the operator as users do (`kubectl multigres install`, `kubectl apply -k`). kwok runs
# no container, so the Deployment's pod is stood in for: while the Deployment
# multigres-system/multigres-operator exists, the operator binary runs with a token of its
# ServiceAccount (exactly the installed RBAC, subject to the installed policies), and it is stopped
# when the Deployment goes, as the pod would be.
# Usage: docs_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane

# Pages a user follows, in reading order. Reference pages (plugin.md synopses, contributor commands
# the suite runs as its own steps) fence their commands as `text`.
DOC_PAGES=(docs/install.md docs/user-guide.md)
OPERATOR_NS=multigres-system

# stand_in: the loop described above; runs in the background until killed.
stand_in() {
	local pid="" kc="$E2E_WORK/stand-in.kubeconfig"
	trap '[[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid"; exit 0' TERM
	while true; do
		if kubectl get deployment multigres-operator -n "$OPERATOR_NS" >/dev/null 2>&1; then
			if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
				if sa_kubeconfig "$kc" multigres-operator "$OPERATOR_NS" 2>/dev/null; then
					"$OPERATOR" --kubeconfig "$kc" --leader-elect --leader-election-namespace "$OPERATOR_NS" \
						--health-probe-bind-address "127.0.0.1:$(free_port)" --metrics-bind-address "127.0.0.1:$(free_port)" \
						--log-level "${MG_E2E_LOG_LEVEL:-info}" >>"$OP_LOG" 2>&1 &
					pid=$!
					echo "stand-in: the Deployment exists; operator pid $pid"
				fi
			fi
		elif [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
			echo "stand-in: the Deployment is gone; stopping operator pid $pid"
			kill -TERM "$pid"; wait "$pid"; pid=""
		fi
		sleep 1
	done
}
stand_in >"$E2E_WORK/stand-in.log" 2>&1 &
STAND_IN_PID=$!
docs_cleanup() {
	local rc=$?
	kill -TERM "$STAND_IN_PID" 2>/dev/null
	wait "$STAND_IN_PID" 2>/dev/null
	e2e_cleanup "$rc"
}
trap docs_cleanup EXIT

export PATH="$(dirname "$PLUGIN"):$PATH"
for page in "${DOC_PAGES[@]}"; do
	step "$page"
	script="$E2E_WORK/$(basename "$page" .md).sh"
	(cd "$REPO" && python3 tests/docs/extract_blocks.py "$page") >"$script" 2>"$E2E_WORK/extract.err" ||
		{ fail "$page: $(cat "$E2E_WORK/extract.err")"; continue; }
	total=$(grep -c "^echo '::block " "$script" || true)
	[[ "$total" -gt 0 ]] && ok "$page has $total command blocks" || fail "$page has no command block"
	out="$E2E_WORK/$(basename "$page" .md).out"
	rc=0
	(cd "$REPO" && bash -euo pipefail "$script") >"$out" 2>&1 || rc=$?
	passed=$(grep -c '^::ok ' "$out" || true)
	while read -r where; do ok "block $where"; done < <(sed -n 's/^::ok //p' "$out")
	if [[ $rc -ne 0 ]]; then
		failed_at=$(sed -n 's/^::block //p' "$out" | tail -n1)
		fail "block $failed_at exited $rc ($passed of $total blocks passed); its output:"
		awk -v w="::block $failed_at" 'found { print "    " $0 } $0 == w { found = 1 }' "$out" | tail -n 40
	fi
done
note "stand-in: $(grep -c 'operator pid' "$E2E_WORK/stand-in.log") operator start(s)"
