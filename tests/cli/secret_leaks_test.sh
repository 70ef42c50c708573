#!/usr/bin/env bash
# The leak checker every e2e suite ends with (tests/e2e/secret_leaks.py) finds what it must: a password,
# the password inside a DSN, a private key logged line by line; and passes a clean log. Prints
# "N passed, M failed".
set -uo pipefail
checker="$(cd "$(dirname "${BASH_SOURCE[0]}")/../e2e" && pwd)/secret_leaks.py"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
b64() { printf '%s' "$1" | base64 -w0; }
key="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"
cat >"$work/secrets.json" <<JSON
{"items": [
 {"metadata": {"namespace": "ns", "name": "pw"}, "type": "Opaque",
  "data": {"password": "$(b64 hunter2hunter2)", "user": "$(b64 postgresuser)", "ca.crt": "$(b64 not-a-secret-cert)"}},
 {"metadata": {"namespace": "ns", "name": "conn"}, "type": "Opaque",
  "data": {"dsn": "$(b64 'host=db user=app password=S3cretPassw0rd dbname=x')"}},
 {"metadata": {"namespace": "ns", "name": "tls"}, "type": "kubernetes.io/tls", "data": {"tls.key": "$(b64 "$key")"}}
]}
JSON
run() { python3 "$checker" "$work/secrets.json" "$@" >"$work/out" 2>&1; }
echo 'reconciled ns/pw for user postgresuser with ca not-a-secret-cert' >"$work/clean.log"
run "$work/clean.log"; check "a log with user names and certificates only passes" '[[ $? -eq 0 ]]'
echo '{"msg":"login failed","error":"password authentication failed for S3cretPassw0rd"}' >"$work/dsn.log"
run "$work/clean.log" "$work/dsn.log"
check "the password inside a DSN is found, named by Secret and key, not printed" \
	'[[ $? -eq 1 ]] && grep -q "dsn.log:1 holds the value of Secret ns/conn key dsn" "$work/out" && ! grep -q S3cret "$work/out"'
echo "status: hunter2hunter2" >"$work/status.json"
run "$work/status.json"; check "a password in a status is found" '[[ $? -eq 1 ]] && grep -q "Secret ns/pw key password" "$work/out"'
sed -n 2p <<<"$key" >"$work/key.log"
run "$work/key.log"; check "one line of a private key is enough" '[[ $? -eq 1 ]] && grep -q "Secret ns/tls key tls.key" "$work/out"'
echo "secret_leaks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
