#!/usr/bin/env bash
# Prints the Markdown table of docs/testing.md "What admission catches and what only the resolver
# catches", generated from the headers of tests/invalid/*.yaml (`# caught-by:`, `# expect-server:`).
#   usage: tests/integration/admission_table.sh [DIR]   (default: tests/invalid)
# A case is filed under the first `# expect-server:` line's kind of message.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${1:-$here/../invalid}

declare -A names counts
order=(client ssa schema cel resolver)
declare -A titles=(
  [client]="kubectl, before the server (bad YAML, not an object, unknown kind/version, no name)"
  [ssa]="API server, server-side apply typing: unknown fields, wrong types, duplicate list keys"
  [schema]="API server, OpenAPI schema: required, enums, patterns, min/max, lengths, item counts"
  [cel]="API server, CEL rules (x-kubernetes-validations) of the CRDs"
  [resolver]="only the resolver (accepted by the API server): cross-object and cross-field checks"
)
for f in "$dir"/*.yaml; do
  header=$(sed -n '/^#/!q; p' "$f")
  by=$(sed -n 's/^# caught-by: *//p' <<<"$header")
  first=$(sed -n 's/^# expect-server: //p' <<<"$header" | head -n1)
  if [ "$by" = resolver ]; then
    kind=resolver
  else
    case $first in
    "(client) "*) kind=client ;;
    *"field not declared in schema"* | *": expected "* | *"duplicate entries for key"* | *"omits all key fields"*) kind=ssa ;;
    *'Invalid value: "object"'* | *'Invalid value: "array"'* | *'Invalid value: "integer"'* | *'Invalid value: "string"'*) kind=cel ;;
    *) kind=schema ;;
    esac
  fi
  counts[$kind]=$((${counts[$kind]:-0} + 1))
  names[$kind]+="${names[$kind]:+, }$(basename "$f" .yaml)"
done

echo "| rejected by | cases | manifests (tests/invalid/*.yaml) |"
echo "| --- | ---: | --- |"
for kind in "${order[@]}"; do
  [ -n "${counts[$kind]:-}" ] || continue
  echo "| ${titles[$kind]} | ${counts[$kind]} | ${names[$kind]} |"
done
