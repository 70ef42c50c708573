# syntax=docker/dockerfile:1
# The multigres-operator image: build on Debian bookworm with the project's own dependency script and
# CMake, run on bookworm-slim with only the binary and the packages of its shared libraries.
#   docker build -t ghcr.io/multigres/multigres-operator:v$(cat VERSION) .
# tests/cli/image_libs_test.sh checks the runtime package list against `ldd` of the built operator.

FROM debian:bookworm AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && scripts/install-deps.sh --build \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    && cmake --build /build --target multigres-operator -j"$(nproc)" \
    && strip --strip-debug -o /multigres-operator /build/operator/multigres-operator

FROM debian:bookworm-slim AS runtime
# Runtime libraries of the operator (and CA certificates for TLS to servers outside the cluster).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates \
       libcpp-httplib0.11 \
       libpq5 \
       libprotobuf-lite32 \
       libssl3 \
       libyaml-0-2 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /multigres-operator /usr/local/bin/multigres-operator
# No per-thread malloc caches: the operator's ~55 mostly idle threads each kept ~36 KiB in theirs,
# 2 MiB of its peak RSS (tests/bench/operator_bench.sh reads this line and runs the binary with it).
ENV GLIBC_TUNABLES=glibc.malloc.tcache_count=0
# The nonroot user of distroless images; the Deployment also sets runAsUser 65532.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/multigres-operator"]
