#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2154,SC2317,SC2119,SC2001  # `check && ok || fail`; names set by wait_name; helpers run via wait_until
# End to end: every sample in config/samples, each in its own namespace (its templates alongside,
# applied before the cluster), against the operator on a fresh full plane. Per sample:
#   - the MultigresCluster reaches Available=True and phase Healthy within 180 s (time printed),
#     TemplatesResolved=True, Degraded=False, and every Cell/TableGroup/Shard/TopoServer is Available;
#   - the set of kind/name the operator wrote in the namespace equals exactly the set
#     `kubectl-multigres render` lists for the same manifests rendered into that namespace;
#   - the operator reported no Warning event in the namespace while the cluster came up.
# Usage: samples_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes). Exits non-zero on any failure.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane
e2e_start_operator

AVAILABLE_TIMEOUT=180
# sample name -> files, templates first (applied in this order into the namespace)
declare -A FILES=(
	[minimal]="minimal.yaml"
	[small]="small-templates.yaml minimal.yaml"
	[two-cells]="small-templates.yaml two-cells.yaml"
	[templated]="templated.yaml"
	[inline]="inline.yaml"
	[power-user]="power-user.yaml"
	[example-cluster]="cell-template.yaml shard-template.yaml example-cluster.yaml"
)
ORDER=(minimal small two-cells templated inline power-user example-cluster)
declare -A TIMES=()

# Every sample file must be covered (a new sample must be added here).
for f in "$SAMPLES"/*.yaml; do
	b="$(basename "$f")"
	[[ " ${FILES[*]} " == *" $b "* ]] || fail "sample $b is not covered by samples_test.sh"
done

for sample in "${ORDER[@]}"; do
	ns="sample-$sample"
	files=()
	for f in ${FILES[$sample]}; do files+=("$SAMPLES/$f"); done
	step "sample $sample (namespace $ns): ${FILES[$sample]}"
	operator_alive || break
	kubectl create namespace "$ns" >/dev/null
	split_manifests "$E2E_WORK/$sample" "${files[@]}"
	if [[ -s "$E2E_WORK/$sample-templates.yaml" ]] && ! kubectl apply -n "$ns" -f "$E2E_WORK/$sample-templates.yaml"; then
		fail "$sample: kubectl apply (templates)"; continue
	fi
	t0="$(now)"
	if ! kubectl apply -n "$ns" -f "$E2E_WORK/$sample-clusters.yaml"; then fail "$sample: kubectl apply (cluster)"; continue; fi
	cluster="$(kubectl -n "$ns" get multigresclusters -o jsonpath='{.items[0].metadata.name}')"
	mgc="multigrescluster/$cluster"

	if wait_condition "$AVAILABLE_TIMEOUT" "$ns" "$mgc" Available True; then
		TIMES[$sample]="$(elapsed_since "$t0")"
		ok "$sample: Available=True after ${TIMES[$sample]} s"
	else
		TIMES[$sample]="timeout"
		fail "$sample: Available=True within ${AVAILABLE_TIMEOUT}s"
		kubectl -n "$ns" get "$mgc" -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}' || true
		kubectl -n "$ns" get cells,tablegroups,shards,toposervers,statefulsets,deployments,pods,pvc -o wide 2>&1 | head -60 || true
	fi
	expect_jsonpath 10 "$ns" "$mgc" '{.status.phase}' Healthy "$sample: phase Healthy"
	expect_jsonpath 5 "$ns" "$mgc" '{.status.conditions[?(@.type=="TemplatesResolved")].status}' True "$sample: TemplatesResolved=True"
	expect_jsonpath 5 "$ns" "$mgc" '{.status.conditions[?(@.type=="Degraded")].status}' False "$sample: Degraded=False"
	expect_jsonpath 5 "$ns" "$mgc" '{.status.observedGeneration}' "$(jp "$ns" "$mgc" '{.metadata.generation}')" \
		"$sample: status.observedGeneration = metadata.generation"

	children="$(kubectl -n "$ns" get cells,tablegroups,shards,toposervers -o json |
		jq -r '.items[] | .kind + "/" + .metadata.name + " " + ([.status.conditions[]? | select(.type == "Available") | .status] | first // "none")')"
	not_available="$(grep -v ' True$' <<<"$children" || true)"
	[[ -n "$children" && -z "$not_available" ]] && ok "$sample: $(wc -l <<<"$children") children Available" ||
		fail "$sample: children not Available: ${not_available:-no children}"

	# The operator's objects against the offline render of the same manifests in this namespace.
	if render_objects "$ns" "${files[@]}" >"$E2E_WORK/$sample-want.txt"; then
		_same() { objects_of "$ns" >"$E2E_WORK/$sample-got.txt" && diff -q "$E2E_WORK/$sample-want.txt" "$E2E_WORK/$sample-got.txt"; }
		if wait_until 20 _same; then
			ok "$sample: the operator's $(wc -l <"$E2E_WORK/$sample-got.txt") objects = render's ($(cut -d/ -f1 "$E2E_WORK/$sample-got.txt" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}'))"
		else
			objects_of "$ns" >"$E2E_WORK/$sample-got.txt" || true
			sets_equal "$E2E_WORK/$sample-want.txt" "$E2E_WORK/$sample-got.txt" || true
			fail "$sample: the operator's objects differ from render's"
		fi
	else
		fail "$sample: kubectl-multigres render failed"
	fi

	# Shards Multigres v0.1.0 cannot serve (non-default tablegroups): a condition and one Warning event
	# saying which; every other sample is servable and warns about nothing.
	servable=True
	[[ "$sample" == power-user || "$sample" == example-cluster ]] && servable=False
	expect_jsonpath 5 "$ns" "$mgc" '{.status.conditions[?(@.type=="ShardsServable")].status}' "$servable" \
		"$sample: ShardsServable=$servable"
	warnings="$(operator_events "$ns" | grep '^Warning ' | { [[ $servable == False ]] && grep -v '^Warning UnservedShards MultigresCluster/' || cat; } || true)"
	[[ -z "$warnings" ]] && ok "$sample: no Warning event from the operator during bring-up (but for unserved shards)" ||
		fail "$sample: Warning events from the operator while a valid sample came up:
$(sed 's/^/      /' <<<"$warnings")"
done

step "all samples still Healthy together"
operator_alive || true
for sample in "${ORDER[@]}"; do
	ns="sample-$sample"
	cluster="$(kubectl -n "$ns" get multigresclusters -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)"
	[[ -n "$cluster" ]] || continue
	expect_jsonpath 30 "$ns" "multigrescluster/$cluster" '{.status.phase}' Healthy "$sample: still Healthy"
done

step "time from apply to Available"
for sample in "${ORDER[@]}"; do
	printf '    %-16s %s\n' "$sample" "${TIMES[$sample]:-not run}$([[ ${TIMES[$sample]:-} =~ ^[0-9] ]] && echo ' s')"
done
echo "    operator: $(metric multigres_operator_api_requests_total) API requests ($(api_writes) writes)," \
	"$(metric multigres_operator_reconcile_total) reconciles, RSS $(( $(metric process_resident_memory_bytes) / 1048576 )) MiB"
