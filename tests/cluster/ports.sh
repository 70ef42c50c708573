# shellcheck shell=bash
# One port registry for every test script that starts a server on loopback (sourced).
#
# Why: "find a free port, start the server on it later" races. Two suites under `ctest -j` can both see
# port P free and both hand it to a server; the second one fails with "address already in use". So a
# port is *reserved* here, under a lock, before anyone binds it, and stays reserved until its owner is
# gone. Everyone picks through this one registry, so no two of our servers are ever given one port.
#
#   mg_reserve_port OWNER     prints a port nobody listens on and nobody else holds, now held by OWNER
#   mg_release_ports OWNER    gives back every port OWNER holds
#   mg_ports_held [MIN MAX]   how many ports (in MIN-MAX, default the range) an owner still holds now
#
# OWNER says how long the reservation lasts:
#   path:/some/file   while that file or directory exists (a cluster dir, a data dir)
#   pid:1234          while that process lives (default: pid:$$, the calling script)
# A reservation whose owner is gone is free again, so a killed test leaks nothing for long.
#
# Ports come from 20000-32767: below Linux's ephemeral range (32768+), so the kernel never hands one
# to an outgoing connection or to a `bind(0)` in the meantime.
# Env: MG_PORTS_DIR (registry, default /tmp/mg-ports; shared by every checkout on the machine),
#      MG_PORT_MIN / MG_PORT_MAX (the range; tests narrow it).

MG_PORTS_DIR="${MG_PORTS_DIR:-/tmp/mg-ports}"
MG_PORT_MIN="${MG_PORT_MIN:-20000}"
MG_PORT_MAX="${MG_PORT_MAX:-32767}"

_mg_owner_alive() {
	case "$1" in
	path:*) [[ -e "${1#path:}" ]] ;;
	pid:*) kill -0 "${1#pid:}" 2>/dev/null ;;
	*) return 1 ;;
	esac
}

_mg_port_listening() {
	ss -Htan "sport = :$1" 2>/dev/null | grep -q . || (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

mg_reserve_port() {
	local owner="${1:-pid:$$}"
	mkdir -p "$MG_PORTS_DIR"
	(
		flock -w 30 9 || { echo "ports.sh: registry $MG_PORTS_DIR is locked for 30 s" >&2; exit 1; }
		# Walk the range from a random start: every port is looked at once, at most 500 of them.
		local span=$((MG_PORT_MAX - MG_PORT_MIN + 1)) start p f i
		start=$(((RANDOM * 32768 + RANDOM) % span))
		for ((i = 0; i < span && i < 500; i++)); do
			p=$((MG_PORT_MIN + (start + i) % span))
			f="$MG_PORTS_DIR/$p"
			if [[ -s "$f" ]] && _mg_owner_alive "$(cat "$f")"; then continue; fi
			_mg_port_listening "$p" && continue
			printf '%s\n' "$owner" >"$f"
			echo "$p"
			exit 0
		done
		echo "ports.sh: no free port in $MG_PORT_MIN-$MG_PORT_MAX ($i looked at) (registry $MG_PORTS_DIR)" >&2
		exit 1
	) 9>>"$MG_PORTS_DIR/.lock"
}

mg_release_ports() {
	local owner="$1" f
	[[ -d "$MG_PORTS_DIR" ]] || return 0
	(
		flock -w 30 9 || exit 0
		for f in "$MG_PORTS_DIR"/[0-9]*; do
			[[ -f "$f" && "$(cat "$f" 2>/dev/null)" == "$owner" ]] && rm -f "$f"
		done
		exit 0
	) 9>>"$MG_PORTS_DIR/.lock"
}

mg_ports_held() {
	local min="${1:-$MG_PORT_MIN}" max="${2:-$MG_PORT_MAX}" f p n=0
	for f in "$MG_PORTS_DIR"/[0-9]*; do
		[[ -f "$f" ]] || continue
		p="${f##*/}"
		((p >= min && p <= max)) && _mg_owner_alive "$(cat "$f" 2>/dev/null)" && n=$((n + 1))
	done
	echo "$n"
}
