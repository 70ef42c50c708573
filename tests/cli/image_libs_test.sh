#!/usr/bin/env bash
# The Dockerfile's runtime stage provides every shared library the built operator loads, and installs
# nothing it does not need: `ldd` of the binary and the libraries it dlopen()s, each library's Debian package (dpkg -S), against the
# packages the runtime stage installs plus what they depend on (dpkg-query, recursively). The build
# host is Debian bookworm like the image, so package names are the image's.
# Usage: image_libs_test.sh OPERATOR_BINARY
set -uo pipefail
binary="${1:?usage: $0 OPERATOR_BINARY}"
dockerfile="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/Dockerfile"
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# The packages of the runtime stage's `apt-get install` (the lines after it up to the next `&&`).
listed="$(awk '/^FROM .* AS runtime/ { rt = 1 } rt && /apt-get install/ { on = 1; next } on && /&&/ { on = 0 }
	on { gsub(/\\/, ""); for (i = 1; i <= NF; i++) print $i }' "$dockerfile" | sort -u)"
[[ -n "$listed" ]] || { echo "FAIL: no apt-get install in the runtime stage of $dockerfile"; exit 1; }

package_of() {  # FILE: the Debian package owning it (merged /usr: try the resolved path too)
	{ dpkg -S "$1" 2>/dev/null || dpkg -S "$(readlink -f "$1")" 2>/dev/null; } | head -n1 | cut -d: -f1
}
depends_of() {  # PACKAGE: its Depends and Pre-Depends, the installed one of each alternative
	dpkg-query -W -f='${Depends}, ${Pre-Depends}' "$1" 2>/dev/null | tr ',' '\n' | while read -r alt; do
		[[ -n "$alt" ]] || continue
		# shellcheck disable=SC2013  # words: the alternatives of one dependency
		for choice in $(sed 's/([^)]*)//g; s/:any//g; s/|/ /g' <<<"$alt"); do
			if dpkg-query -W -f='${Status}' "$choice" 2>/dev/null | grep -q 'install ok installed'; then echo "$choice"; break; fi
		done
	done
}
declare -A closure=()
mapfile -t queue <<<"$listed"
while ((${#queue[@]})); do
	p="${queue[0]}"; queue=("${queue[@]:1}")
	[[ -n "${closure[$p]:-}" ]] && continue
	closure[$p]=1
	# shellcheck disable=SC2207
	queue+=($(depends_of "$p"))
done

libs="$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $1 " " $3 }')"
[[ -n "$libs" ]] || { echo "FAIL: ldd found no libraries in $binary"; exit 1; }
# Libraries loaded later with dlopen (libpq: common/pg/libpq.cpp) are named in the binary's strings.
while read -r soname; do
	[[ -n "$soname" ]] || continue
	path="$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64|x86_64/ { print $NF; exit }')"
	[[ -n "$path" ]] || { fail "$soname is loaded at run time but not installed here"; continue; }
	grep -q "^$soname " <<<"$libs" || libs+=$'\n'"$soname $path"
done < <(strings "$binary" | grep -E '^lib[A-Za-z0-9_+-]+\.so\.[0-9]+$' | sort -u)
declare -A needed_packages=()
while read -r soname path; do
	pkg="$(package_of "$path")"
	if [[ -z "$pkg" ]]; then fail "$soname ($path) belongs to no Debian package"; continue; fi
	needed_packages[$pkg]=1
	[[ -n "${closure[$pkg]:-}" ]] || fail "$soname comes from $pkg, which the runtime stage does not install: add $pkg to the Dockerfile"
done <<<"$libs"
for p in $listed; do
	[[ "$p" == ca-certificates ]] && continue  # data, not a library
	[[ -n "${needed_packages[$p]:-}" ]] || fail "the runtime stage installs $p, but the operator loads none of its libraries: remove it"
done
echo "$(wc -l <<<"$libs") libraries from ${#needed_packages[@]} packages; runtime stage lists $(wc -w <<<"$listed") packages, ${#closure[@]} with dependencies"
[[ $failed == 0 ]] && echo "ok: the runtime stage provides every library of $(basename "$binary")"
exit $failed
