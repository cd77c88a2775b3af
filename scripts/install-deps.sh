#!/usr/bin/env bash
# Installs everything h2conform needs to build, test and fuzz, from Debian 12's packages.
# Needs root (or sudo). Safe to run again: apt-get skips what is installed.
#   scripts/install-deps.sh               everything (build, tests, fuzzers, bench, peers)
#   scripts/install-deps.sh --build-only  only what building the binary needs
#                                         (scripts/build.sh --binary-only), e.g. in CI
set -euo pipefail
mode=all
case ${1:-} in
  '') ;;
  --build-only) mode=build-only ;;
  *) echo "install-deps: unknown flag $1 (use --build-only or nothing)" >&2; exit 64 ;;
esac
build_only_packages=(
  cmake ninja-build g++ pkg-config libssl-dev nlohmann-json3-dev libcli11-dev
)
packages=(
  # build
  cmake ninja-build g++ clang libclang-rt-14-dev pkg-config
  libssl-dev libgtest-dev libgmock-dev nlohmann-json3-dev libcli11-dev
  # bench/ and the differential HPACK fuzzer only
  libbenchmark-dev libnghttp2-dev
  # the fuzzers' OSS-Fuzz layout (seed corpora as zip files)
  zip unzip
  # real peers for the integration tests and the main job
  nghttp2-server nghttp2-client h2o nginx-light curl openssl
  apache2 lighttpd lighttpd-mod-openssl caddy haproxy golang-go golang-golang-x-net-dev nodejs
  python3-hypercorn varnish trafficserver
  # real clients for client-testing mode (peers/clients/)
  nghttp2-client python3-httpx python3-h2
  # report checks: xmllint for JUnit, jsonschema for the results file, headless Chromium for the HTML report
  libxml2-utils python3 python3-jsonschema chromium
)
[ "$mode" = all ] || packages=("${build_only_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  # Packaged servers must not start system services here; our tests start their own.
  printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
  $sudo_cmd chmod +x /usr/sbin/policy-rc.d
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
  $sudo_cmd rm -f /usr/sbin/policy-rc.d
fi

[ "$mode" = all ] || exit 0
# playwright-core drives Debian's Chromium in the browser tests (no browser download).
root=$(cd "$(dirname "$0")/.." && pwd)
if command -v npm >/dev/null && [ ! -d "$root/tests/browser/node_modules/playwright-core" ]; then
  npm ci --prefix "$root/tests/browser" --no-audit --no-fund --loglevel=error
fi
