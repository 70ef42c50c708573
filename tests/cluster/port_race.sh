#!/usr/bin/env bash
# Proof that parallel suites never share a port (issue 17, "the port race"): runs the integration
# suites that start servers on the host's loopback under `ctest -j4`, MG_PORT_RACE_RUNS times in a row,
# with the registry's range narrowed to MG_PORT_RACE_RANGE ports. In that range, picks that ignored the
# registry (the old "is it free? bind it later") would collide: each round prints the most ports held at
# once (n); n random picks from 400 share one with probability 1 - exp(-n(n-1)/800), 95 % for n = 50.
# Any "address already in use" in any test's output, passed or failed, counts as a collision.
#
#   tests/cluster/port_race.sh [BUILD_DIR]      (make port-race)
# Prints one line per round and a last line "N rounds, F failed tests, C collisions"; exits 1 on either.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=ports.sh
source "$here/ports.sh"
build_dir="${1:-build}"
runs="${MG_PORT_RACE_RUNS:-10}"
range="${MG_PORT_RACE_RANGE:-400}"
# Every suite that starts its servers on loopback through tests/cluster/ports.sh and finishes in about a
# minute (one e2e suite stands for the rest: each starts the same plane); the real-node suites use a
# network namespace of their own.
suites='^(port_registry|admission|kube_client|runtime_integration|full_plane_smoke|topo|topo_tls_mixed|pg_integration|e2e_plugin_version_test)$'

export MG_PORT_MIN=20000 MG_PORT_MAX=$((20000 + range - 1))
log_dir="$(mktemp -d /tmp/mg-port-race.XXXXXX)"
failed_tests=0 collisions=0
# ctest's summary line of a test that did not pass.
not_passed='^\s+[0-9]+ - .* \((Failed|Timeout|Not Run)\)'
for round in $(seq 1 "$runs"); do
	start=$(date +%s)
	(peak=0; while :; do n=$(mg_ports_held); ((n > peak)) && peak=$n && echo "$peak" >"$log_dir/peak$round"; sleep 1; done) &
	sampler=$!
	ctest --test-dir "$build_dir" -j4 -R "$suites" --output-on-failure >"$log_dir/round$round.log" 2>&1
	kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
	# LastTest.log holds every test's output, the passed ones' too.
	cp "$build_dir/Testing/Temporary/LastTest.log" "$log_dir/round$round.all.log"
	failed=$(grep -cE "$not_passed" "$log_dir/round$round.log")
	hits=$(grep -ci 'address already in use' "$log_dir/round$round.all.log")
	tests=$(grep -oE '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log_dir/round$round.log")
	echo "round $round: $tests; at most $(cat "$log_dir/peak$round" 2>/dev/null || echo 0) ports held at once; collisions $hits; $(($(date +%s) - start)) s"
	failed_tests=$((failed_tests + failed)) collisions=$((collisions + hits))
	((failed + hits > 0)) && grep -E "$not_passed" "$log_dir/round$round.log"
done
echo "$runs rounds, $failed_tests failed tests, $collisions collisions (ports $MG_PORT_MIN-$MG_PORT_MAX; logs in $log_dir)"
((failed_tests == 0 && collisions == 0))
