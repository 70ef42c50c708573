#!/usr/bin/env bash
# The port registry (ports.sh): parallel reservations never share a port, a port in use is never
# handed out, a reservation lasts exactly as long as its owner. Prints "N passed, M failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d /tmp/mg-ports-test.XXXXXX)"
listener=""
trap '[[ -n "$listener" ]] && kill "$listener" 2>/dev/null; rm -rf "$work"' EXIT
export MG_PORTS_DIR="$work/registry"
# shellcheck source=ports.sh
source "$here/ports.sh"
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; fi; }

# 1. Six reservers at once, 25 ports each, from a range of 1000: picks that ignored the registry would collide
#    (150 random picks from 1000 share a port with probability > 99.9 %).
export MG_PORT_MIN=24000 MG_PORT_MAX=24999
for i in 1 2 3 4 5 6; do
	mkdir -p "$work/owner$i"
	( for _ in $(seq 1 25); do mg_reserve_port "path:$work/owner$i"; done >"$work/ports$i" ) &
done
wait
total=$(cat "$work"/ports[1-6] | wc -l)
unique=$(cat "$work"/ports[1-6] | sort -u | wc -l)
check "150 parallel reservations, 150 distinct ports (got $total, $unique distinct)" '[[ $total -eq 150 && $unique -eq 150 ]]'

# 2. A port somebody listens on is never handed out, and the error names the range.
export MG_PORT_MIN=26500 MG_PORT_MAX=26500
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",26500)); s.listen(); time.sleep(60)' &
listener=$!
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/26500) 2>/dev/null && break; sleep 0.1; done
err="$(mg_reserve_port "pid:$$" 2>&1 >/dev/null)"; rc=$?
check "a listening port is refused: $err" '[[ $rc -ne 0 && "$err" == *"no free port in 26500-26500"* ]]'
kill "$listener"; wait "$listener" 2>/dev/null; listener=""

# 3. A held port is not handed out again; it is once its owner's path is gone, or released.
export MG_PORT_MIN=26600 MG_PORT_MAX=26600
mkdir -p "$work/holder"
first="$(mg_reserve_port "path:$work/holder")"
mg_reserve_port "pid:$$" >/dev/null 2>&1; rc=$?
check "a held port is not given twice" '[[ "$first" == 26600 && $rc -ne 0 ]]'
rmdir "$work/holder"
again="$(mg_reserve_port "pid:$$")"
check "the port is free again once its owner's path is gone" '[[ "$again" == 26600 ]]'
mg_release_ports "pid:$$"
check "mg_release_ports gives back the owner's ports" '[[ ! -e "$MG_PORTS_DIR/26600" ]]'

# 4. A dead process holds nothing.
dead_pid=$(bash -c 'echo $$')
echo "pid:$dead_pid" >"$MG_PORTS_DIR/26600"
check "a reservation by a dead process is free" '[[ "$(mg_reserve_port "pid:$$")" == 26600 ]]'

echo "ports: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
