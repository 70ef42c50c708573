#!/usr/bin/env bash
# Installs every Debian package the build and the tests need. Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  rapidjson-dev libyaml-cpp-dev libcli11-dev catch2
  libcurl4-openssl-dev libcpp-httplib-dev libspdlog-dev libfmt-dev
  libpq-dev postgresql protobuf-compiler libprotobuf-dev
  libssl-dev clang-format valgrind
  curl openssl iproute2 util-linux coreutils bc jq tmux python3 python3-yaml
  # real nodes (tests/cluster/real.sh) and the images they run (tests/cluster/images.sh)
  containerd runc containernetworking-plugins iptables conntrack socat mmdebstrap buildah
)
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
