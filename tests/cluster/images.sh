#!/usr/bin/env bash
# The container images of the real-node plane (cluster.sh up real), built here from pinned inputs: no
# registry, no Docker daemon. Each is a tar in the `docker save` layout that `ctr images import` takes.
#
#   images.sh build [NAME...]     build (or find cached) every image or the named ones; the last lines
#                                 on stdout are "<ref> <tar>", one per image
#   images.sh import ADDRESS [NAME...]   import them into the containerd at ADDRESS (namespace k8s.io)
#   images.sh list                the names and refs
#
#   NAME        ref                                       what
#   pause       multigres.local/pause:3.10                the sandbox: images/pause.c, static
#   etcd        gcr.io/etcd-development/etcd:v3.6.16      etcd + etcdctl of build.sh (the default etcd image)
#   pgctld      multigres.local/pgctld:v0.1.0             Debian trixie, PostgreSQL 17, pgBackRest, pgctld
#                                                         at /usr/local/bin, user postgres = 999 (as upstream)
#   multigres   multigres.local/multigres:v0.1.0          Debian trixie, pgBackRest, /multigres/bin/* (as upstream)
#   operator    multigres.local/multigres-operator:dev    the project's Dockerfile, built by buildah on base
#                                                         images made by mmdebstrap (debian:bookworm[-slim])
#
# Cache: ${MG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/multigres-operator}/images/<name>-<key>.tar, the key
# a hash of everything the image is made of (this script, the binaries, the package lists, for the
# operator the content of every tracked file but the docs and the tests). A second build with the same inputs takes a second.
# Debian packages come from the mirror apt uses (the only network these builds touch).
# Env: MG_CLUSTER_BIN_DIR (Go binaries; default: build.sh), MG_DEBIAN_MIRROR.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE_ROOT="${MG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/multigres-operator}"
IMAGES_DIR="$CACHE_ROOT/images"
MIRROR="${MG_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
NAMES=(pause etcd pgctld multigres operator)
declare -A REF=(
	[pause]=multigres.local/pause:3.10
	[etcd]=gcr.io/etcd-development/etcd:v3.6.16
	[pgctld]=multigres.local/pgctld:v0.1.0
	[multigres]=multigres.local/multigres:v0.1.0
	[operator]=multigres.local/multigres-operator:dev
)
# Upstream's images run postgres and the Multigres binaries as uid/gid 999 (our pods do too).
PG_UID=999
TRIXIE_DOC_EXCLUDES=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
	--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*')

log() { echo "images.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

bin_dir() {
	if [[ -n "${MG_CLUSTER_BIN_DIR:-}" ]]; then echo "$MG_CLUSTER_BIN_DIR"; return; fi
	"$HERE/build.sh" | tail -n1
}

# ---------------------------------------------------------------- the docker-save layout
# save_layout OUT.tar REF CONFIG_JSON LAYER.tar...: writes the manifest, the config (with rootfs.diff_ids
# of the layers) and the layers as one tar.
save_layout() {
	local out="$1" ref="$2" config="$3"; shift 3
	local d; d="$(mktemp -d "$IMAGES_DIR/.layout.XXXXXX")"
	local diff_ids=() layers=() i=0 l
	for l in "$@"; do
		cp "$l" "$d/layer$i.tar"
		diff_ids+=("\"sha256:$(sha256sum "$d/layer$i.tar" | cut -d' ' -f1)\"")
		layers+=("\"layer$i.tar\"")
		i=$((i + 1))
	done
	local ids; ids="$(IFS=,; echo "${diff_ids[*]}")"
	jq -c --argjson ids "[$ids]" '. + {architecture: "amd64", os: "linux", rootfs: {type: "layers", diff_ids: $ids}}' \
		<<<"$config" >"$d/config.json"
	local cfg; cfg="$(sha256sum "$d/config.json" | cut -d' ' -f1).json"
	mv "$d/config.json" "$d/$cfg"
	echo "[{\"Config\":\"$cfg\",\"RepoTags\":[\"$ref\"],\"Layers\":[$(IFS=,; echo "${layers[*]}")]}]" >"$d/manifest.json"
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$d" -cf "$out" .
	rm -rf "$d"
}

# dir_layer DIR OUT.tar: a deterministic layer of DIR's contents.
dir_layer() {
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$1" -cf "$2" .
}

# trixie_rootfs OUT.tar PACKAGES HOOK...: a minbase Debian trixie as a tar (mmdebstrap, root mode).
trixie_rootfs() {
	local out="$1" packages="$2"; shift 2
	mmdebstrap --quiet --variant=minbase --mode=root --include="$packages" "${TRIXIE_DOC_EXCLUDES[@]}" "$@" \
		trixie "$out" "$MIRROR" >&2
}

# passwd_hook: a customize hook line that makes user and group postgres uid/gid 999 (before the
# postgresql package's postinst would pick a dynamic one, so an essential hook).
passwd_hook() {
	echo "--essential-hook=echo 'postgres:x:$PG_UID:$PG_UID:PostgreSQL administrator:/var/lib/postgresql:/bin/bash' >> \"\$1/etc/passwd\"; echo 'postgres:x:$PG_UID:' >> \"\$1/etc/group\"; echo 'postgres:*:20000:0:99999:7:::' >> \"\$1/etc/shadow\""
}

# ---------------------------------------------------------------- recipes: build_<name> OUT.tar
build_pause() {
	local w; w="$(mktemp -d "$IMAGES_DIR/.pause.XXXXXX")"
	mkdir -p "$w/root"
	gcc -static -Os -s -o "$w/root/pause" "$HERE/images/pause.c"
	dir_layer "$w/root" "$w/layer.tar"
	save_layout "$1" "${REF[pause]}" '{"config": {"Entrypoint": ["/pause"]}}' "$w/layer.tar"
	rm -rf "$w"
}

build_etcd() {
	local w bin; w="$(mktemp -d "$IMAGES_DIR/.etcd.XXXXXX")"; bin="$(bin_dir)"
	mkdir -p "$w/root/usr/local/bin" "$w/root/var/lib/etcd" "$w/root/tmp"
	chmod 1777 "$w/root/tmp"
	cp "$bin/etcd" "$bin/etcdctl" "$w/root/usr/local/bin/"
	dir_layer "$w/root" "$w/layer.tar"
	save_layout "$1" "${REF[etcd]}" \
		'{"config": {"Entrypoint": ["/usr/local/bin/etcd"], "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]}}' "$w/layer.tar"
	rm -rf "$w"
}

build_pgctld() {
	local w bin; w="$(mktemp -d "$IMAGES_DIR/.pgctld.XXXXXX")"; bin="$(bin_dir)"
	# pgctld's initdb asks for en_US.UTF-8 (postgresql.conf's lc_* and the cluster's encoding): generated
	# here as the official postgres image does, or postgres refuses its own configuration.
	trixie_rootfs "$w/rootfs.tar" postgresql-17,pgbackrest,ca-certificates,procps,locales "$(passwd_hook)" \
		--customize-hook='chroot "$1" localedef -i en_US -c -f UTF-8 en_US.UTF-8' \
		--customize-hook="copy-in $bin/pgctld /usr/local/bin" \
		--customize-hook='test "$(chroot "$1" id -u postgres)" = '"$PG_UID"
	save_layout "$1" "${REF[pgctld]}" '{"config": {"User": "999:999", "WorkingDir": "/var/lib/postgresql",
		"Env": ["PATH=/usr/local/bin:/usr/lib/postgresql/17/bin:/usr/bin:/bin", "LANG=en_US.UTF-8"],
		"Cmd": ["/usr/local/bin/pgctld", "--help"]}}' "$w/rootfs.tar"
	rm -rf "$w"
}

build_multigres() {
	local w bin b; w="$(mktemp -d "$IMAGES_DIR/.multigres.XXXXXX")"; bin="$(bin_dir)"
	mkdir -p "$w/add/multigres/bin"
	for b in multigateway multiorch multipooler multiadmin multigres pgctld; do cp "$bin/$b" "$w/add/multigres/bin/"; done
	trixie_rootfs "$w/rootfs.tar" pgbackrest,ca-certificates "$(passwd_hook)" \
		--customize-hook="sync-in $w/add /"
	save_layout "$1" "${REF[multigres]}" '{"config": {"User": "999:999",
		"Env": ["PATH=/multigres/bin:/usr/local/bin:/usr/bin:/bin"]}}' "$w/rootfs.tar"
	rm -rf "$w"
}

# The operator: the Dockerfile as users build it, by buildah (chroot isolation: no runc, no cgroups), with
# its own storage under the cache, on base images that mmdebstrap makes and that get the Dockerfile's names.
build_operator() {
	local w; w="$(mktemp -d "$IMAGES_DIR/.operator.XXXXXX")"
	local store="$IMAGES_DIR/buildah"
	local B=(buildah --root "$store/root" --runroot "$store/run" --storage-driver vfs)
	local base
	for base in bookworm bookworm-slim; do
		local extra=()
		[[ "$base" == bookworm-slim ]] && extra=("${TRIXIE_DOC_EXCLUDES[@]}")
		mmdebstrap --quiet --variant=minbase --mode=root --include=ca-certificates "${extra[@]}" \
			bookworm "$w/$base.rootfs.tar" "$MIRROR" >&2
		save_layout "$w/$base.tar" "docker.io/library/debian:$base" \
			'{"config": {"Cmd": ["bash"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}}' \
			"$w/$base.rootfs.tar"
		"${B[@]}" rmi -f "docker.io/library/debian:$base" >/dev/null 2>&1 || true
		"${B[@]}" pull --quiet "docker-archive:$w/$base.tar" >&2
	done
	# Only what git tracks goes into the build context, as a clean clone would have it.
	mkdir -p "$w/context"
	git -C "$REPO" ls-files -z | (cd "$REPO" && xargs -0 cp --parents -t "$w/context")
	"${B[@]}" bud --isolation chroot --network host --pull=never --layers=false \
		-t "${REF[operator]}" -f "$w/context/Dockerfile" "$w/context" >&2
	"${B[@]}" push --quiet "${REF[operator]}" "docker-archive:$1:${REF[operator]}" >&2
	"${B[@]}" rmi --all --force >/dev/null 2>&1 || true
	rm -rf "$w"
}

# ---------------------------------------------------------------- keys and cache
key_of() {
	local name="$1" bin
	{
		echo "recipe=2 name=$name ref=${REF[$name]} mirror=$MIRROR"
		declare -f "build_$name" save_layout dir_layer trixie_rootfs passwd_hook
		case "$name" in
		pause) cat "$HERE/images/pause.c"; gcc --version | head -n1 ;;
		etcd) bin="$(bin_dir)"; sha256sum "$bin/etcd" "$bin/etcdctl" | cut -d' ' -f1 ;;
		pgctld) bin="$(bin_dir)"; sha256sum "$bin/pgctld" | cut -d' ' -f1 ;;
		multigres) bin="$(bin_dir)"; sha256sum "$bin"/{multigateway,multiorch,multipooler,multiadmin,multigres,pgctld} | cut -d' ' -f1 ;;
		# The content of every tracked file the operator binary can depend on (not the docs, not the tests'
		# sources), as the working tree has it: the same sources give the same key, committed or not.
		operator) (cd "$REPO" && git ls-files -z -- . ':!docs' ':!tests' tests/CMakeLists.txt | xargs -0 sha256sum) ;;
		esac
	} | sha256sum | cut -c1-16
}

tar_of() { echo "$IMAGES_DIR/$1-$(key_of "$1").tar"; }

build_one() {
	local name="$1" out t0
	out="$(tar_of "$name")"
	if [[ -s "$out" ]]; then echo "${REF[$name]} $out"; return; fi
	t0=$(date +%s)
	log "building $name (${REF[$name]})"
	local stage="$out.stage"
	rm -f "$stage"
	"build_$name" "$stage"
	mv "$stage" "$out"
	# Older builds of this image are dropped: the cache holds one per name.
	find "$IMAGES_DIR" -maxdepth 1 -name "$name-*.tar" ! -path "$out" -delete
	log "built $name in $(( $(date +%s) - t0 ))s: $(du -h "$out" | cut -f1) $out"
	echo "${REF[$name]} $out"
}

names_or_all() { if (($# > 0)); then echo "$@"; else echo "${NAMES[@]}"; fi; }

check_name() { [[ -n "${REF[$1]:-}" ]] || die "unknown image $1 (one of: ${NAMES[*]})"; }

cmd_build() {
	mkdir -p "$IMAGES_DIR"
	exec 9>"$IMAGES_DIR/.lock"
	flock 9
	local n
	for n in $(names_or_all "$@"); do check_name "$n"; done
	for n in $(names_or_all "$@"); do build_one "$n"; done
}

cmd_import() {
	local address="${1:?usage: images.sh import ADDRESS [NAME...]}"; shift
	local ref tar
	while read -r ref tar; do
		[[ -n "$ref" ]] || continue
		ctr --address "$address" -n k8s.io images import "$tar" >&2 || die "importing $ref ($tar) into $address"
	done < <(cmd_build "$@" | tail -n "$(names_or_all "$@" | wc -w)")
}

case "${1:-}" in
build) shift; cmd_build "$@" ;;
import) shift; cmd_import "$@" ;;
list) for n in "${NAMES[@]}"; do echo "$n ${REF[$n]}"; done ;;
*) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
