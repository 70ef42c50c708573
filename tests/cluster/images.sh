#!/usr/bin/env bash
# The container images of the real-node plane (cluster.sh up real), built here from pinned inputs: no
# registry, no Docker daemon. Each is a tar in the `docker save` layout that `ctr images import` takes.
#
#   images.sh build [NAME...]            build (or find cached) every image or the named ones; the last
#                                        lines on stdout are "<ref> <tar>", one per image; logs on stderr
#   images.sh import ADDRESS [NAME...]   build, then import into the containerd whose socket is ADDRESS
#                                        (namespace k8s.io); an image already there with the same
#                                        content is skipped, so a second import takes a fraction of a second
#   images.sh list                       the refs, one a line
#
#   NAME        ref                                       what
#   pause       multigres.local/pause:3.10                the sandbox (containerd's sandbox_image): images/pause.c, static
#   etcd        gcr.io/etcd-development/etcd:v3.6.16      etcd + etcdctl of build.sh, laid out as upstream's image
#   pgctld      multigres.local/pgctld:v0.1.0             Debian trixie, PostgreSQL 17, pgBackRest, pgctld at
#                                                         /usr/local/bin, user postgres = 999:999 (as upstream)
#   multigres   multigres.local/multigres:v0.1.0          Debian trixie, pgBackRest, /multigres/bin/* (as upstream)
#   operator    multigres.local/multigres-operator:dev    the project's Dockerfile, built by buildah on
#                                                         debian:bookworm[-slim] made here by mmdebstrap
#
# Cache: ${MG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/multigres-operator}/images/<name>-<key>.tar, the key
# a hash of everything the image is made of (its recipe in this script, the binaries, the Debian suites
# and packages, the tool versions, for the operator the content of every source file but docs and tests).
# A second build with the same inputs takes about a second. Debian packages come from deb.debian.org (the
# only network these builds touch). The one input not pinned is the Debian archive itself: a key names
# suites and packages, not their versions.
# Env: MG_CLUSTER_BIN_DIR (Go binaries; default: build.sh's), MG_DEBIAN_MIRROR, MG_DEBIAN_SECURITY_MIRROR,
#      MG_FORCE_IMAGES=1 (rebuild the named images even if cached).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE_ROOT="${MG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/multigres-operator}"
IMAGES_DIR="$CACHE_ROOT/images"
MIRROR="${MG_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${MG_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
NAMES=(pause etcd pgctld multigres operator)
declare -A REF=(
	[pause]=multigres.local/pause:3.10
	[etcd]=gcr.io/etcd-development/etcd:v3.6.16
	[pgctld]=multigres.local/pgctld:v0.1.0
	[multigres]=multigres.local/multigres:v0.1.0
	[operator]=multigres.local/multigres-operator:dev
)
# Upstream's pgctld image (postgres:17) runs postgres as uid/gid 999, and our pods run every Multigres
# container as 999; the multigres image has the same user so both containers name the files they share alike.
PG_UID=999
# What Docker's debian:*-slim images leave out; dpkg keeps these in /etc/dpkg/dpkg.cfg.d, so packages
# installed later in the image (the Dockerfile's apt-get) leave them out too.
SLIM_EXCLUDES=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
	--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/groff/*'
	--dpkgopt='path-exclude=/usr/share/lintian/*')
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "images.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- work dirs and cleanup
# Every build works in a dir under the cache (never the repo, never /tmp, which mmdebstrap and buildah would
# otherwise fill), removed on any exit. A crash leaves at most such a dir, which the next run removes.
WORK_DIRS=()
BUILDAH_STORE="$IMAGES_DIR/buildah"
B=(buildah --root "$BUILDAH_STORE/root" --runroot "$BUILDAH_STORE/run" --storage-driver vfs)
BUILDAH_USED=0

new_workdir() { # new_workdir NAME: sets W to a fresh dir under the cache, registered for removal
	W="$(mktemp -d "$IMAGES_DIR/.work-$1.XXXXXX")"
	WORK_DIRS+=("$W")
}

# remove_tree DIR: unmounts whatever a killed mmdebstrap left mounted inside (its chroot's /proc, /sys,
# /dev), deepest first, then removes the dir without ever crossing into another file system.
remove_tree() {
	local m
	while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r)
	rm -rf --one-file-system "$1"
}

cleanup() {
	local w
	for w in "${WORK_DIRS[@]}"; do [[ -e "$w" ]] && remove_tree "$w"; done
	# A failed buildah build leaves its working containers (full root file systems under vfs) behind.
	if [[ "$BUILDAH_USED" == 1 ]]; then
		"${B[@]}" rm --all >/dev/null 2>&1 || true
		"${B[@]}" rmi --all --force >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# lock: one build or import at a time per cache (fd 9 stays open until this script exits). Builds replace
# tars, imports read them; both under the same exclusive lock, so an import never reads a tar being removed.
lock() {
	mkdir -p "$IMAGES_DIR"
	exec 9>"$IMAGES_DIR/.lock"
	if ! flock -n 9; then
		log "waiting for another images.sh (lock $IMAGES_DIR/.lock)"
		flock 9
	fi
	# Holding the lock, whatever work dir or stage exists is left from a run that died (.operator.* and the
	# like: the work dirs of this script's first version).
	local w
	for w in "$IMAGES_DIR"/.work-* "$IMAGES_DIR"/*.stage "$IMAGES_DIR"/.{pause,etcd,pgctld,multigres,operator,layout}.??????; do
		[[ -e "$w" ]] && remove_tree "$w"
	done
	return 0
}

# ---------------------------------------------------------------- inputs
BIN=""
resolve_bin() { # sets BIN once (build.sh is cached, but it is still a process per call)
	[[ -z "$BIN" ]] || return 0
	if [[ -n "${MG_CLUSTER_BIN_DIR:-}" ]]; then BIN="$MG_CLUSTER_BIN_DIR"
	else BIN="$("$HERE/build.sh" | tail -n1)" || die "tests/cluster/build.sh failed"; fi
	local b
	for b in etcd etcdctl multiadmin multigateway multiorch multipooler pgctld multigres; do
		[[ -x "$BIN/$b" ]] || die "$BIN/$b is missing (MG_CLUSTER_BIN_DIR or build.sh)"
	done
}

# debian_sources SUITE: the sources the image gets, as Docker's debian images have them (the suite, its
# updates and its security updates), all from deb.debian.org.
debian_sources() {
	echo "deb $MIRROR $1 main"
	echo "deb $MIRROR $1-updates main"
	echo "deb $SECURITY_MIRROR $1-security main"
}

# debian_rootfs SUITE OUT.tar MMDEBSTRAP_ARGS...: a minbase Debian root file system as a tar, by mmdebstrap
# in root mode (we run as root; unshare mode needs user namespaces, which buy nothing here). Its chroot
# goes under the work dir of OUT.tar (TMPDIR), so nothing of it lands in /tmp.
debian_rootfs() {
	local suite="$1" out="$2"; shift 2
	local src=() line
	while read -r line; do src+=("$line"); done < <(debian_sources "$suite")
	TMPDIR="$(dirname "$out")" mmdebstrap --quiet --mode=root --variant=minbase "$@" "$suite" "$out" "${src[@]}" >&2
}

# passwd_hook: an mmdebstrap --essential-hook that creates user and group postgres as 999:999. It runs
# after the Essential packages and before the rest, so postgresql-common's postinst finds the user and
# keeps it (adduser --system on an existing user is a no-op), and every file it creates is 999's.
passwd_hook() {
	echo "--essential-hook=echo 'postgres:x:$PG_UID:$PG_UID:PostgreSQL administrator:/var/lib/postgresql:/bin/bash' >>\"\$1/etc/passwd\";" \
		"echo 'postgres:x:$PG_UID:' >>\"\$1/etc/group\"; echo 'postgres:*:20000:0:99999:7:::' >>\"\$1/etc/shadow\";" \
		"echo 'postgres:!::' >>\"\$1/etc/gshadow\""
}

# ---------------------------------------------------------------- the docker-save layout
# dir_layer DIR OUT.tar: a layer of DIR's contents, deterministic (sorted, mtime 0, owned by root).
dir_layer() {
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$1" -cf "$2" .
}

# save_layout OUT.tar REF CONFIG_JSON LAYER.tar...: the image as `docker save` writes it. The layers are
# moved in (named <diff_id>.tar), the config gets architecture, os and rootfs.diff_ids (the sha256 of each
# uncompressed layer) and is named by its own sha256, and manifest.json comes first in the tar so a reader
# finds it without reading the layers.
save_layout() {
	local out="$1" ref="$2" config="$3"; shift 3
	local d; new_workdir layout; d="$W"
	local ids=() files=() l id
	for l in "$@"; do
		id="$(sha256sum "$l" | cut -d' ' -f1)"
		mv "$l" "$d/$id.tar"
		ids+=("sha256:$id")
		files+=("$id.tar")
	done
	jq -c --args '. + {architecture: "amd64", os: "linux", rootfs: {type: "layers", diff_ids: $ARGS.positional}}' \
		"${ids[@]}" <<<"$config" >"$d/config.json"
	local cfg; cfg="$(sha256sum "$d/config.json" | cut -d' ' -f1).json"
	mv "$d/config.json" "$d/$cfg"
	jq -nc --arg cfg "$cfg" --arg ref "$ref" --args '[{Config: $cfg, RepoTags: [$ref], Layers: $ARGS.positional}]' \
		"${files[@]}" >"$d/manifest.json"
	tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$d" -cf "$out" manifest.json "$cfg" "${files[@]}"
	rm -rf "$d"
}

# config_digest TAR: the sha256 of the image's config blob, which is also what containerd stores as the
# image's config (how import recognises an image already present).
config_digest() {
	local cfg
	cfg="$(tar --occurrence=1 -xOf "$1" manifest.json | jq -r '.[0].Config')"
	echo "sha256:$(tar --occurrence=1 -xOf "$1" "$cfg" | sha256sum | cut -d' ' -f1)"
}

# ---------------------------------------------------------------- recipes: build_<name> OUT.tar
build_pause() {
	local w; new_workdir pause; w="$W"
	mkdir -p "$w/root"
	gcc -static -Os -s -o "$w/root/pause" "$HERE/images/pause.c"
	dir_layer "$w/root" "$w/layer.tar"
	# User 65535 as upstream's registry.k8s.io/pause (the pod's securityContext overrides it).
	save_layout "$1" "${REF[pause]}" '{"config": {"User": "65535:65535", "Entrypoint": ["/pause"]}}' "$w/layer.tar"
}

# Upstream's image is distroless/static (a passwd, /tmp 1777) + the binaries, CMD etcd, WORKDIR /var/lib/etcd.
# CMD, not ENTRYPOINT, as upstream: a pod that sets args but no command must fail here as it would there.
build_etcd() {
	local w; new_workdir etcd; w="$W"
	mkdir -p "$w/root/usr/local/bin" "$w/root/var/lib/etcd" "$w/root/var/etcd" "$w/root/tmp" "$w/root/etc"
	chmod 1777 "$w/root/tmp"
	cp "$BIN/etcd" "$BIN/etcdctl" "$w/root/usr/local/bin/"
	printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
		'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$w/root/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'nonroot:x:65532:' >"$w/root/etc/group"
	dir_layer "$w/root" "$w/layer.tar"
	save_layout "$1" "${REF[etcd]}" '{"config": {"Env": ["PATH='"$DEFAULT_PATH"'"],
		"Cmd": ["/usr/local/bin/etcd"], "WorkingDir": "/var/lib/etcd"}}' "$w/layer.tar"
}

# As upstream's Dockerfile.pgctld (FROM postgres:17, which is Debian trixie): PostgreSQL 17 and pgBackRest
# (trixie's 2.55, the same as the multigres image's: client and server must match), procps, pgctld in
# /usr/local/bin, user postgres, PATH with the PostgreSQL binaries, LANG en_US.utf8 (initdb's default
# locale and UTF8 encoding), PGDATA, ENTRYPOINT tail -f /dev/null. Unlike a Debian install, no
# cluster: the package's default 17/main is dropped (upstream's image has none either).
build_pgctld() {
	local w; new_workdir pgctld; w="$W"
	debian_rootfs trixie "$w/rootfs.tar" --include=postgresql-17,pgbackrest,ca-certificates,procps,locales \
		"${SLIM_EXCLUDES[@]}" "$(passwd_hook)" \
		--customize-hook="copy-in $BIN/pgctld /usr/local/bin" \
		--customize-hook='chroot "$1" pg_dropcluster 17 main' \
		--customize-hook='chroot "$1" localedef -i en_US -c -f UTF-8 en_US.UTF-8' \
		--customize-hook="install -d -o $PG_UID -g $PG_UID -m 1777 \"\$1/var/lib/postgresql/data\"" \
		--customize-hook='test "$(chroot "$1" id -u postgres):$(chroot "$1" id -g postgres)" = '"$PG_UID:$PG_UID" \
		--customize-hook='test ! -e "$1/var/lib/postgresql/17/main"'
	# /run/postgresql (psql's default socket dir) as upstream has it; appended to the tar because
	# mmdebstrap empties /run (a tmpfs on a booted system) after the hooks.
	mkdir -p "$w/extra/run/postgresql"
	chown "$PG_UID:$PG_UID" "$w/extra/run/postgresql"
	chmod 3777 "$w/extra/run/postgresql"
	tar --mtime=@0 --numeric-owner -C "$w/extra" -rf "$w/rootfs.tar" ./run/postgresql
	save_layout "$1" "${REF[pgctld]}" '{"config": {"User": "postgres",
		"Env": ["PATH='"$DEFAULT_PATH"':/usr/lib/postgresql/17/bin", "LANG=en_US.utf8", "PGDATA=/var/lib/postgresql/data"],
		"Entrypoint": ["tail"], "Cmd": ["-f", "/dev/null"]}}' "$w/rootfs.tar"
}

# As upstream's Dockerfile (debian slim + pgBackRest + procps, binaries in /multigres/bin on PATH, WORKDIR
# /multigres, USER 65532, no ENTRYPOINT, the base's CMD bash), on trixie rather than bookworm so its
# pgBackRest is the pgctld image's version; plus pgctld in /multigres/bin and user 999.
build_multigres() {
	local w b; new_workdir multigres; w="$W"
	mkdir -p "$w/add/multigres/bin"
	for b in multigateway multiorch multipooler multiadmin multigres pgctld; do cp "$BIN/$b" "$w/add/multigres/bin/"; done
	debian_rootfs trixie "$w/rootfs.tar" --include=pgbackrest,ca-certificates,procps \
		"${SLIM_EXCLUDES[@]}" "$(passwd_hook)" \
		--customize-hook="sync-in $w/add /" \
		--customize-hook='test "$(chroot "$1" id -u postgres)" = '"$PG_UID"
	save_layout "$1" "${REF[multigres]}" '{"config": {"User": "65532:65532", "WorkingDir": "/multigres",
		"Env": ["PATH=/multigres/bin:'"$DEFAULT_PATH"'"], "Cmd": ["bash"]}}' "$w/rootfs.tar"
}

# docker_debian_files DIR: what Docker's debian images (debuerreotype) add to a minbase system, so a
# Dockerfile's apt-get behaves here as it does there: apt keeps no caches (no .debs, no pkgcache.bin in the
# layer: the Dockerfile only removes the lists), no Suggests kept by autoremove, compressed indexes, no
# translations, dpkg without fsync, and services never started (policy-rc.d).
docker_debian_files() {
	mkdir -p "$1/apt" "$1/dpkg"
	local clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"'
	printf 'DPkg::Post-Invoke { %s; };\nAPT::Update::Post-Invoke { %s; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' \
		"$clean" "$clean" >"$1/apt/docker-clean"
	echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$1/apt/docker-autoremove-suggests"
	echo 'Acquire::GzipIndexes "true";' >"$1/apt/docker-gzip-indexes"
	echo 'Acquire::Languages "none";' >"$1/apt/docker-no-languages"
	echo 'force-unsafe-io' >"$1/dpkg/docker-apt-speedup"
	printf '#!/bin/sh\nexit 101\n' >"$1/policy-rc.d"
	chmod 0644 "$1"/apt/* "$1"/dpkg/*
	chmod 0755 "$1/policy-rc.d"
}

# The operator: the Dockerfile as users build it, by buildah, never Docker. Chroot isolation: no runc and no
# cgroups (this VM withholds CAP_SYS_RESOURCE and is cgroup v1). Host network: the RUN steps' apt-get
# reaches deb.debian.org and nothing else (the base images' sources). Its own storage (vfs: no mounts to
# leak) under the cache. The base images are made by mmdebstrap as Docker's are (minbase; the slim one
# without docs) and given the Dockerfile's names, so the Dockerfile stays as users have it; --pull=never
# keeps buildah from any registry. --format docker: SHELL (bash -o pipefail) is a Docker-format feature.
build_operator() {
	local w base id; new_workdir operator; w="$W"
	BUILDAH_USED=1
	"${B[@]}" rm --all >/dev/null 2>&1 || true
	"${B[@]}" rmi --all --force >/dev/null 2>&1 || true
	docker_debian_files "$w/files"
	for base in bookworm bookworm-slim; do
		local extra=()
		[[ "$base" == bookworm-slim ]] && extra=("${SLIM_EXCLUDES[@]}")
		# merged-usr the way debootstrap does it: symlinks, not the usrmerge package (and its perl).
		debian_rootfs bookworm "$w/$base.rootfs.tar" "${extra[@]}" --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
			--customize-hook="copy-in $w/files/apt/docker-autoremove-suggests $w/files/apt/docker-clean $w/files/apt/docker-gzip-indexes $w/files/apt/docker-no-languages /etc/apt/apt.conf.d" \
			--customize-hook="copy-in $w/files/dpkg/docker-apt-speedup /etc/dpkg/dpkg.cfg.d" \
			--customize-hook='rm -f "$1"/var/cache/apt/*.bin'
		# After mmdebstrap, which removes the policy-rc.d it used itself.
		tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$w/files" -rf "$w/$base.rootfs.tar" \
			--transform='s|^\./|./usr/sbin/|' ./policy-rc.d
		save_layout "$w/$base.tar" "docker.io/library/debian:$base" \
			'{"config": {"Env": ["PATH='"$DEFAULT_PATH"'"], "Cmd": ["bash"]}}' "$w/$base.rootfs.tar"
		id="$(TMPDIR="$w" "${B[@]}" pull --quiet "docker-archive:$w/$base.tar")"
		"${B[@]}" tag "$id" "docker.io/library/debian:$base"
		rm -f "$w/$base.tar"
	done
	# The build context: the source tree as the developer has it (source_files).
	mkdir -p "$w/context"
	source_files | (cd "$REPO" && xargs -0 cp -P --parents -t "$w/context")
	TMPDIR="$w" "${B[@]}" bud --isolation chroot --network host --pull=never --layers=false --format docker \
		-t "${REF[operator]}" -f "$w/context/Dockerfile" "$w/context" >&2
	TMPDIR="$w" "${B[@]}" push --quiet "${REF[operator]}" "docker-archive:$1:${REF[operator]}" >&2
	"${B[@]}" rmi --all --force >/dev/null 2>&1 || true
}

# source_files [PATHSPEC...]: the operator's build context, NUL-separated: the source tree as the developer
# has it (tracked files and new ones git does not ignore, as they are in the working tree), without what
# git ignores (build dirs and the like, which .dockerignore leaves out too) and without .git.
source_files() {
	git -C "$REPO" ls-files -z --cached --others --exclude-standard "$@" | sort -zu |
		(cd "$REPO" && while IFS= read -r -d '' f; do [[ -e "$f" || -L "$f" ]] && printf '%s\0' "$f"; done; true)
}

# ---------------------------------------------------------------- keys and cache
# key_of NAME: a hash of everything the image is made of. `declare -f` prints the recipe functions without
# their comments, so rewording a comment rebuilds nothing.
key_of() {
	local name="$1"
	{
		echo "recipe=3 name=$name ref=${REF[$name]} uid=$PG_UID path=$DEFAULT_PATH slim=${SLIM_EXCLUDES[*]}"
		declare -f "build_$name" save_layout dir_layer
		case "$name" in
		pause) cat "$HERE/images/pause.c"; gcc --version | head -n1 ;;
		etcd) sha256sum "$BIN/etcd" "$BIN/etcdctl" | cut -d' ' -f1 ;;
		pgctld)
			declare -f debian_rootfs debian_sources passwd_hook; debian_sources trixie; mmdebstrap --version
			sha256sum "$BIN/pgctld" | cut -d' ' -f1 ;;
		multigres)
			declare -f debian_rootfs debian_sources passwd_hook; debian_sources trixie; mmdebstrap --version
			sha256sum "$BIN"/{multigateway,multiorch,multipooler,multiadmin,multigres,pgctld} | cut -d' ' -f1 ;;
		# The content of every file of the build context the operator binary can depend on, as the working
		# tree has it (committed or not), but not the docs and not the tests' sources (only
		# tests/CMakeLists.txt, which the configure step reads): editing a test must not cost a rebuild.
		operator)
			declare -f debian_rootfs debian_sources source_files docker_debian_files; debian_sources bookworm; mmdebstrap --version; buildah --version
			{ source_files -- . ':!docs' ':!tests'; source_files -- tests/CMakeLists.txt; } | (cd "$REPO" && xargs -0 sha256sum) ;;
		esac
	} | sha256sum | cut -c1-16
}

# drop_others NAME: the cache keeps one tar per image, TAR; older ones go (under the lock, so no import is
# reading them).
drop_others() {
	local old
	for old in "$IMAGES_DIR/$1"-*.tar; do
		[[ "$old" == "$TAR" || ! -e "$old" ]] || rm -f "$old" "$old.digest"
	done
}

# build_one NAME: sets TAR to the image's tar, building it if no complete one is cached. A tar is complete
# once renamed from its stage; its config digest (TAR.digest) is written before that rename.
build_one() {
	local name="$1" t0 stage
	TAR="$IMAGES_DIR/$name-$(key_of "$name").tar"
	if [[ -s "$TAR" && -s "$TAR.digest" && "${MG_FORCE_IMAGES:-0}" != 1 ]]; then drop_others "$name"; return; fi
	t0=$SECONDS
	log "building $name (${REF[$name]})"
	stage="$TAR.stage"
	WORK_DIRS+=("$stage")
	"build_$name" "$stage"
	config_digest "$stage" >"$TAR.digest"
	mv -f "$stage" "$TAR"
	drop_others "$name"
	log "built $name in $((SECONDS - t0)) s: $(du -h "$TAR" | cut -f1) $TAR"
}

# build_all NAME...: builds them (or all); sets BUILT_NAMES and BUILT_TARS.
build_all() {
	local n
	BUILT_NAMES=("$@")
	((${#BUILT_NAMES[@]} > 0)) || BUILT_NAMES=("${NAMES[@]}")
	for n in "${BUILT_NAMES[@]}"; do
		[[ -n "${REF[$n]:-}" ]] || die "unknown image $n (one of: ${NAMES[*]})"
		[[ "$n" == pause || "$n" == operator ]] || resolve_bin
	done
	BUILT_TARS=()
	for n in "${BUILT_NAMES[@]}"; do
		build_one "$n"
		BUILT_TARS+=("$TAR")
	done
}

cmd_build() {
	lock
	build_all "$@"
	local i
	for i in "${!BUILT_NAMES[@]}"; do echo "${REF[${BUILT_NAMES[$i]}]} ${BUILT_TARS[$i]}"; done
}

# present_config ADDRESS MANIFEST_DIGEST: the config digest of that image in the containerd, or nothing.
present_config() {
	local m
	m="$(ctr --address "$1" -n k8s.io content get "$2" 2>/dev/null)" || return 0
	if jq -e '.manifests' <<<"$m" >/dev/null; then # an index: its linux/amd64 manifest
		local d; d="$(jq -r '[.manifests[] | select(.platform.os == "linux" and .platform.architecture == "amd64")][0].digest // empty' <<<"$m")"
		[[ -n "$d" ]] || return 0
		m="$(ctr --address "$1" -n k8s.io content get "$d" 2>/dev/null)" || return 0
	fi
	jq -r '.config.digest // empty' <<<"$m"
}

# Import: ctr unpacks into the default snapshotter unless --no-unpack (so the kubelet starts containers
# without a pull). An image already there under the same ref with the same config is skipped: ctr would
# read and hash the whole tar again (seconds per image) to change nothing.
cmd_import() {
	local address="${1:-}"
	[[ -n "$address" ]] || die "usage: images.sh import ADDRESS [NAME...]"
	shift
	lock
	build_all "$@"
	local listing i ref tar want target t0
	listing="$(ctr --address "$address" -n k8s.io images ls)" || die "no containerd answers at $address"
	for i in "${!BUILT_NAMES[@]}"; do
		ref="${REF[${BUILT_NAMES[$i]}]}" tar="${BUILT_TARS[$i]}"
		want="$(cat "$tar.digest")"
		target="$(awk -v r="$ref" 'NR > 1 && $1 == r {print $3}' <<<"$listing")"
		if [[ -n "$target" && "$(present_config "$address" "$target")" == "$want" ]]; then
			log "$ref: already in $address"
			continue
		fi
		t0=$SECONDS
		ctr --address "$address" -n k8s.io images import "$tar" >&2 || die "importing $ref ($tar) into $address"
		log "$ref: imported into $address in $((SECONDS - t0)) s"
	done
}

case "${1:-}" in
build) shift; cmd_build "$@" ;;
import) shift; cmd_import "$@" ;;
list) for n in "${NAMES[@]}"; do echo "${REF[$n]}"; done ;;
*) awk 'NR == 1 {next} /^#/ {sub(/^# ?/, ""); print; next} {exit}' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
