#!/usr/bin/env bash
# Installs the Debian packages the project needs. Safe to run again.
#   install-deps.sh            everything: the build, every test, the real-node plane and its images
#   install-deps.sh --build    only what compiling needs (the Dockerfile's build stage)
set -euo pipefail
build_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  rapidjson-dev libyaml-dev libcli11-dev catch2
  libcpp-httplib-dev libspdlog-dev libfmt-dev
  libpq-dev protobuf-compiler libprotobuf-dev libssl-dev
)
test_packages=(
  postgresql clang-format valgrind
  curl openssl iproute2 util-linux coreutils bc jq tmux python3 python3-yaml
  # real nodes (tests/cluster/real.sh) and the images they run (tests/cluster/images.sh)
  containerd runc containernetworking-plugins iptables conntrack socat mmdebstrap buildah
  # fuzzing and sanitizers (tests/fuzz, tests/sanitize: clang, with libFuzzer and the sanitizer runtimes
  # in libclang-rt) and their symbolized reports (llvm-symbolizer); ccache, which CMakeLists.txt uses when
  # present, so that build-fuzz, build-asan and build-tsan rebuilt from a fresh clone are cache hits
  clang-16 libclang-rt-16-dev llvm ccache
)
case "${1:-}" in
  --build) packages=("${build_packages[@]}") ;;
  "") packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: $0 [--build]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
