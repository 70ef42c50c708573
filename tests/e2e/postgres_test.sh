#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2119,SC2317  # `check && ok || fail`; e2e_start_operator without flags; helpers run via wait_until
# End to end: postgres.multigres.com against a real PostgreSQL on loopback (tests/integration/postgres/pg.sh)
# with the operator running on a fresh full plane:
#   1. DatabaseCluster from a DSN Secret: Available=True, serverVersion as the server says;
#   2. Database (owner, schema, extension, ExternalName Service, reclaim Delete) and DatabaseRoles
#      (login, connection limit, password from a Secret, grants, connection Secret) appear in the
#      catalog, and their status says Ready/applied with observedGeneration;
#   3. the role logs in with the password from its connection Secret; rotating the password Secret
#      makes the new password work and the old one fail;
#   4. a manual ALTER ROLE / REVOKE is undone within the check interval (5s here);
#   5. a broken DSN: Available=False, reason ConnectionFailed with PostgreSQL's text, a Warning event,
#      dependents say they wait; fixed: everything recovers;
#   6. hostile names (quotes, semicolons, unicode) create exactly the named objects, a canary table
#      survives; a role name too long in bytes and the reserved name `public` are refused as
#      InvalidSpec (status names the field, Warning event) with nothing created;
#   7. reclaim: Delete drops the database and the role, Retain keeps them;
#   8. no password in the operator log, the events or any status.
# Usage: postgres_test.sh OPERATOR_BINARY PLUGIN_BINARY. Exits non-zero on any failure.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"

PG_SH="$REPO/tests/integration/postgres/pg.sh"
PGDIR="$(mktemp -u /tmp/mg-e2e-postgres-pg.XXXXXX)"
# Stop the server too, keeping the exit status e2e_cleanup reports.
trap 'rc=$?; "$PG_SH" stop "$PGDIR" >/dev/null 2>&1; (exit $rc); e2e_cleanup' EXIT

step "start PostgreSQL on loopback"
"$PG_SH" start "$PGDIR" >"$E2E_WORK/pg-start.log" 2>&1 || { cat "$E2E_WORK/pg-start.log"; fail "PostgreSQL did not start"; exit 1; }
eval "$("$PG_SH" env "$PGDIR")"
SUPER_PW="$PGPASSWORD"
export PATH="$MG_PG_BIN:$PATH"
ok "PostgreSQL $(psql -Atc 'show server_version') on 127.0.0.1:$PGPORT"
psql -qc 'create table canary (x int)' >/dev/null

e2e_start_plane
e2e_start_operator

NS=pg
kubectl create namespace "$NS" >/dev/null
APP_PW="app-Pw-$(openssl rand -hex 8)"
APP_PW2="rotated-Pw-$(openssl rand -hex 8)"

# q SQL: one value from the server as the superuser.
q() { psql -Atqc "$1" 2>/dev/null; }
# secret_key NAME KEY: a decoded value of a Secret in $NS.
secret_key() { kubectl -n "$NS" get secret "$1" -o "jsonpath={.data.$2}" | base64 -d; }
# login_as USER PASSWORD DB: true when the user can log in over TCP with that password.
login_as() { PGPASSWORD="$2" psql -h 127.0.0.1 -p "$PGPORT" -U "$1" -d "$3" -Atqc 'select current_user' >/dev/null 2>&1; }
is() { [[ "$(q "$1")" == "$2" ]]; }

step "1. DatabaseCluster from a DSN Secret"
kubectl -n "$NS" create secret generic pg-dsn --from-literal=dsn="$MG_PG_DSN" >/dev/null
kubectl apply -f - >/dev/null <<EOF
apiVersion: postgres.multigres.com/v1alpha1
kind: DatabaseCluster
metadata:
  name: local
spec:
  dsnSecretRef: {namespace: $NS, name: pg-dsn, key: dsn}
  sslmode: disable
  checkInterval: 5s
EOF
expect_jsonpath 30 "" databasecluster/local '{.status.conditions[?(@.type=="Available")].status}' True "DatabaseCluster Available"
expect_jsonpath 5 "" databasecluster/local '{.status.serverVersion}' "$(q 'show server_version')" "serverVersion is the server's"
[[ -n "$(jp "" databasecluster/local '{.status.lastCheckTime}')" ]] && ok "lastCheckTime set" || fail "lastCheckTime empty"

step "2. Database and DatabaseRoles"
kubectl -n "$NS" create secret generic app-pw --from-literal=password="$APP_PW" >/dev/null
kubectl -n "$NS" apply -f - >/dev/null <<'EOF'
apiVersion: postgres.multigres.com/v1alpha1
kind: DatabaseRole
metadata:
  name: shop-owner
spec:
  databaseClusterRef: {name: local}
  roleName: shop_owner
  login: false
---
apiVersion: postgres.multigres.com/v1alpha1
kind: Database
metadata:
  name: shop
spec:
  databaseClusterRef: {name: local}
  name: shop
  owner: shop_owner
  schemas: [{name: sales, owner: shop_owner}]
  extensions: [{name: pgcrypto, schema: sales}]
  service: {name: shop-db}
  reclaimPolicy: Delete
---
apiVersion: postgres.multigres.com/v1alpha1
kind: DatabaseRole
metadata:
  name: app
spec:
  databaseClusterRef: {name: local}
  roleName: app
  login: true
  connectionLimit: 5
  passwordSecretRef: {name: app-pw, key: password}
  permissions:
    - database: shop
      privileges: [CONNECT]
      schemas:
        - name: sales
          privileges: [USAGE]
          tables: {all: true, privileges: [SELECT]}
  connectionSecret: {name: app-conn, database: shop}
  reclaimPolicy: Delete
EOF
for r in database/shop databaserole/app databaserole/shop-owner; do
	expect_jsonpath 90 "$NS" "$r" '{.status.conditions[?(@.type=="Ready")].status}' True "$r Ready"
done
expect_jsonpath 5 "$NS" database/shop '{.status.applied}' true "database/shop status.applied"
expect_jsonpath 5 "$NS" database/shop '{.status.observedGeneration}' "$(jp "$NS" database/shop '{.metadata.generation}')" "observedGeneration current"
[[ -n "$(jp "$NS" databaserole/app '{.status.objects[*].name}')" ]] && ok "databaserole/app lists its objects" || fail "no status.objects"
is "select pg_get_userbyid(datdba) from pg_database where datname = 'shop'" shop_owner && ok "database shop owned by shop_owner" || fail "database shop"
psql -d shop -Atqc "select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'sales'" | grep -qx shop_owner && ok "schema sales owned by shop_owner" || fail "schema sales"
psql -d shop -Atqc "select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where extname = 'pgcrypto'" | grep -qx sales && ok "extension pgcrypto in sales" || fail "extension pgcrypto"
is "select rolcanlogin::text || ',' || rolconnlimit from pg_roles where rolname = 'app'" "true,5" && ok "role app: login, connection limit 5" || fail "role app attributes: $(q "select rolcanlogin, rolconnlimit from pg_roles where rolname = 'app'")"
is "select has_database_privilege('app', 'shop', 'CONNECT')" t && ok "app has CONNECT on shop" || fail "CONNECT on shop"
expect_jsonpath 20 "$NS" service/shop-db '{.spec.type}/{.spec.externalName}' "ExternalName/127.0.0.1" "Service shop-db: ExternalName to the server"
[[ "$(jp "$NS" service/shop-db '{.metadata.ownerReferences[0].kind}')" == Database ]] && ok "Service owned by the Database" || fail "Service owner"

step "3. log in with the connection Secret; rotate the password"
wait_until 20 exists "$NS" secret/app-conn && ok "connection Secret app-conn" || fail "connection Secret app-conn missing"
[[ "$(secret_key app-conn user)/$(secret_key app-conn database)/$(secret_key app-conn port)" == "app/shop/$PGPORT" ]] &&
	ok "connection Secret: user, database, port" || fail "connection Secret keys"
[[ "$(kubectl -n "$NS" get secret app-conn -o 'jsonpath={.metadata.labels.app\.kubernetes\.io/managed-by}')" == multigres-operator ]] &&
	ok "connection Secret labelled managed-by" || fail "connection Secret label"
login_as app "$(secret_key app-conn password)" shop && ok "app logs in with the Secret's password" || fail "app cannot log in"
psql "$(secret_key app-conn uri)" -Atqc 'select current_user' 2>/dev/null | grep -qx app && ok "the Secret's uri logs in" || fail "uri login"
kubectl -n "$NS" create secret generic app-pw --from-literal=password="$APP_PW2" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
_rotated() { login_as app "$APP_PW2" shop && ! login_as app "$APP_PW" shop && [[ "$(secret_key app-conn password)" == "$APP_PW2" ]]; }
wait_until 30 _rotated && ok "rotated: new password works, old one fails, connection Secret updated" || fail "password rotation"

step "4. drift is undone within the check interval"
q "alter role app connection limit 1; revoke connect on database shop from app" >/dev/null
_undone() { is "select rolconnlimit from pg_roles where rolname = 'app'" 5 && is "select has_database_privilege('app', 'shop', 'CONNECT')" t; }
wait_until 20 _undone && ok "ALTER ROLE and REVOKE undone" || fail "drift not corrected: $(q "select rolconnlimit from pg_roles where rolname = 'app'")"

step "5. a broken DSN, then fixed"
kubectl -n "$NS" create secret generic pg-dsn --from-literal=dsn="${MG_PG_DSN/password=$SUPER_PW/password=wrong}" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
expect_jsonpath 30 "" databasecluster/local '{.status.conditions[?(@.type=="Available")].reason}' ConnectionFailed "Available=False, reason ConnectionFailed"
msg="$(jp "" databasecluster/local '{.status.conditions[?(@.type=="Available")].message}')"
[[ "$msg" == *"password authentication failed"* ]] && ok "the condition carries PostgreSQL's text" || fail "condition message: $msg"
kubectl get events.events.k8s.io -A -o json | jq -e '.items[] | select(.regarding.kind == "DatabaseCluster" and .type == "Warning" and .reason == "ConnectionFailed")' >/dev/null &&
	ok "Warning event ConnectionFailed" || fail "no Warning event"
kubectl -n "$NS" patch database shop --type=merge -p '{"spec":{"schemas":[{"name":"sales","owner":"shop_owner"},{"name":"audit"}]}}' >/dev/null
expect_jsonpath 30 "$NS" database/shop '{.status.conditions[?(@.type=="Ready")].reason}' DatabaseClusterNotAvailable "Database waits for its DatabaseCluster"
kubectl -n "$NS" create secret generic pg-dsn --from-literal=dsn="$MG_PG_DSN" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
expect_jsonpath 30 "" databasecluster/local '{.status.conditions[?(@.type=="Available")].status}' True "fixed DSN: Available again"
expect_jsonpath 30 "$NS" database/shop '{.status.conditions[?(@.type=="Ready")].status}' True "Database Ready again"
psql -d shop -Atqc "select 1 from pg_namespace where nspname = 'audit'" | grep -qx 1 && ok "the change made while waiting is applied" || fail "schema audit missing"

step "6. hostile names, and a refused spec"
HOSTILE_ROLE='x"; DROP TABLE canary; --'
HOSTILE_DB='wé"ird;db'
kubectl -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: postgres.multigres.com/v1alpha1
kind: DatabaseRole
metadata:
  name: hostile
spec:
  databaseClusterRef: {name: local}
  roleName: 'x"; DROP TABLE canary; --'
---
apiVersion: postgres.multigres.com/v1alpha1
kind: Database
metadata:
  name: weird
spec:
  databaseClusterRef: {name: local}
  name: 'wé"ird;db'
---
apiVersion: postgres.multigres.com/v1alpha1
kind: DatabaseRole
metadata:
  name: too-long
spec:
  databaseClusterRef: {name: local}
  roleName: $(printf 'é%.0s' $(seq 1 32))
---
apiVersion: postgres.multigres.com/v1alpha1
kind: DatabaseRole
metadata:
  name: reserved
spec:
  databaseClusterRef: {name: local}
  roleName: public
EOF
for r in databaserole/hostile database/weird; do
	expect_jsonpath 60 "$NS" "$r" '{.status.conditions[?(@.type=="Ready")].status}' True "$r Ready"
done
is "select count(*) from pg_roles where rolname = \$\$$HOSTILE_ROLE\$\$" 1 && ok "role named exactly $HOSTILE_ROLE" || fail "hostile role"
is "select count(*) from pg_database where datname = \$\$$HOSTILE_DB\$\$" 1 && ok "database named exactly $HOSTILE_DB" || fail "hostile database"
is "select count(*) from pg_class where relname = 'canary'" 1 && ok "canary table survives" || fail "canary table gone"
for r in too-long reserved; do
	expect_jsonpath 30 "$NS" "databaserole/$r" '{.status.conditions[?(@.type=="Ready")].reason}' InvalidSpec "role $r: InvalidSpec"
	msg="$(jp "$NS" "databaserole/$r" '{.status.message}')"
	[[ "$msg" == *spec.roleName* ]] && ok "role $r: the message names spec.roleName" || fail "role $r message: $msg"
done
kubectl get events.events.k8s.io -n "$NS" -o json | jq -e '.items[] | select(.regarding.name == "reserved" and .type == "Warning" and .reason == "InvalidSpec")' >/dev/null &&
	ok "Warning event InvalidSpec" || fail "no InvalidSpec event"
is "select count(*) from pg_roles where rolname like 'éé%' or rolname = 'public'" 0 && ok "nothing created for the refused specs" || fail "refused role exists"

step "7. reclaim: Delete drops, Retain keeps"
kubectl -n "$NS" delete databaserole app --wait=true --timeout=60s >/dev/null && ok "DatabaseRole app deleted" || fail "DatabaseRole app not deleted"
is "select count(*) from pg_roles where rolname = 'app'" 0 && ok "role app dropped (Delete)" || fail "role app still there"
kubectl -n "$NS" delete database shop --wait=true --timeout=60s >/dev/null && ok "Database shop deleted" || fail "Database shop not deleted"
is "select count(*) from pg_database where datname = 'shop'" 0 && ok "database shop dropped (Delete)" || fail "database shop still there"
kubectl -n "$NS" delete databaserole hostile shop-owner --wait=true --timeout=60s >/dev/null
kubectl -n "$NS" delete database weird --wait=true --timeout=60s >/dev/null
is "select count(*) from pg_roles where rolname in ('shop_owner', \$\$$HOSTILE_ROLE\$\$)" 2 && ok "Retain roles kept" || fail "Retain roles dropped"
is "select count(*) from pg_database where datname = \$\$$HOSTILE_DB\$\$" 1 && ok "Retain database kept" || fail "Retain database dropped"

step "8. no password anywhere"
kubectl get events -A -o yaml >"$E2E_WORK/events.yaml"
kubectl get events.events.k8s.io -A -o yaml >>"$E2E_WORK/events.yaml"
kubectl get databaseclusters,databases,databaseroles -A -o json | jq '.items[].status' >"$E2E_WORK/statuses.json"
for pw in "$SUPER_PW" "$APP_PW" "$APP_PW2"; do
	for f in "$OP_LOG" "$E2E_WORK/events.yaml" "$E2E_WORK/statuses.json"; do
		if grep -qF -- "$pw" "$f"; then fail "a password appears in $(basename "$f")"; else ok "no password in $(basename "$f")"; fi
	done
done
[[ $(wc -l <"$E2E_WORK/events.yaml") -gt 10 && -s "$E2E_WORK/statuses.json" ]] && ok "the grep had events and statuses to read" || fail "nothing to grep"
