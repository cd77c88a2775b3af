#!/usr/bin/env bash
# Configures and builds h2conform into build/ (g++, RelWithDebInfo).
#   scripts/build.sh                everything: the binary, tests, fuzz corpus replays, bench
#   scripts/build.sh --binary-only  only the h2conform binary (H2CONFORM_BUILD_TESTS=OFF: no
#                                   GoogleTest, benchmark or nghttp2 needed), e.g. in CI
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case ${1:-} in
  '')
    cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DH2CONFORM_BUILD_TESTS=ON >/dev/null
    cmake --build "$root/build" -j "$(nproc)" ;;
  --binary-only)
    cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DH2CONFORM_BUILD_TESTS=OFF >/dev/null
    cmake --build "$root/build" -j "$(nproc)" --target h2conform ;;
  *) echo "build: unknown flag $1 (use --binary-only or nothing)" >&2; exit 64 ;;
esac
