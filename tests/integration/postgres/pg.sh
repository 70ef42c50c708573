#!/usr/bin/env bash
# A real PostgreSQL on loopback for tests: Debian's server binaries, a fresh data directory, TCP on
# 127.0.0.1 at a free port, scram-sha-256 for every connection, a random superuser password.
#   pg.sh start DIR          initdb + start (DIR must not exist or be empty); waits until it accepts logins
#   pg.sh env DIR            prints `export` lines: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE MG_PG_DSN
#   pg.sh stop DIR           stops the server and removes DIR
#   pg.sh run -- CMD ARGS    start in a temp dir, run CMD with the env exported, always stop
# As root the server runs as the `postgres` user (runuser); otherwise as the caller.
set -euo pipefail

bindir() {
  local d
  if [ -n "${MG_PG_BINDIR:-}" ]; then echo "$MG_PG_BINDIR"; return; fi
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$d/initdb" ] || { echo "pg.sh: no PostgreSQL server in /usr/lib/postgresql/*/bin (install 'postgresql', scripts/install-deps.sh)" >&2; exit 1; }
  echo "$d"
}

as_owner() {  # runs a command as the user that owns the server
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# shellcheck source=../../cluster/ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../cluster/ports.sh"

start() {
  local dir=$1 bin port pw
  bin=$(bindir)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -z "$(ls -A "$dir")" ] || { echo "pg.sh: $dir is not empty" >&2; exit 1; }
  mkdir -p "$dir/data" "$dir/run"
  pw=$(openssl rand -hex 24)
  umask 077
  printf '%s\n' "$pw" > "$dir/password"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir"; chmod 755 "$dir"
    runuser -u postgres -- test -w "$dir/data" \
      || { echo "pg.sh: user postgres cannot reach $dir (a parent directory is private); use a directory under /tmp" >&2; exit 1; }
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/password" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3 4 5; do
    port=$(mg_reserve_port "path:$dir/data")   # held while the server's data dir exists
    cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/run'
password_encryption = 'scram-sha-256'
fsync = off
log_statement = 'none'
CONF
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
      echo "$port" > "$dir/port"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/port"
      # the password file stays readable only by its owner; env reads it as root or as that user
      wait_ready "$dir"
      return
    fi
    echo "pg.sh: start on port $port failed (attempt $attempt); server.log:" >&2
    tail -5 "$dir/server.log" >&2 || true
  done
  exit 1
}

wait_ready() {
  local dir=$1 bin
  bin=$(bindir)
  for _ in $(seq 1 100); do
    if PGPASSWORD=$(cat "$dir/password") "$bin/psql" -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres \
         -d postgres -Atqc 'select 1' >/dev/null 2>&1; then return; fi
    sleep 0.1
  done
  echo "pg.sh: server in $dir does not accept logins" >&2; exit 1
}

envs() {
  local dir=$1 port pw
  port=$(cat "$dir/port"); pw=$(cat "$dir/password")
  echo "export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGPASSWORD=$pw PGDATABASE=postgres"
  echo "export MG_PG_DSN='host=127.0.0.1 port=$port user=postgres password=$pw dbname=postgres sslmode=disable'"
  echo "export MG_PG_BIN=$(bindir)"
}

stop() {
  local dir=$1
  [ -d "$dir/data" ] && as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

cmd=${1:?start|env|stop|run}
shift
case "$cmd" in
  start) start "${1:?DIR}" ;;
  env) envs "${1:?DIR}" ;;
  stop) stop "${1:?DIR}" ;;
  run)
    [ "${1:-}" = "--" ] && shift
    d=$(mktemp -d /tmp/mg-pg.XXXXXX)
    trap 'stop "$d"' EXIT
    start "$d"
    eval "$(envs "$d")"
    "$@"
    ;;
  *) echo "pg.sh: unknown command $cmd (start|env|stop|run)" >&2; exit 2 ;;
esac
