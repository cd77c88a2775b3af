#!/usr/bin/env bash
# Runs every test: builds, runs ctest (unit, catalogue, mutation, real peers, fuzz corpus
# replays), runs the suite again built with ASan and UBSan (scripts/test-sanitized.sh), then
# builds the fuzzers with clang the OSS-Fuzz way (fuzzers/build.sh, through scripts/fuzz.sh =
# scripts/oss-fuzz-build-test.sh) and runs each for a short, bounded time.
# FUZZ_SECONDS (default 20) sets the time per fuzzer; 0 skips the fuzzer build and runs.
# SANITIZED=0 skips the sanitized build and run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fuzz_seconds=${FUZZ_SECONDS:-20}
"$root/scripts/build.sh"
(cd "$root/build" && ctest --output-on-failure -j "$(nproc)" --timeout 600)
if [ "${SANITIZED:-1}" != 0 ]; then
  "$root/scripts/test-sanitized.sh"
fi
if [ "$fuzz_seconds" -gt 0 ]; then
  "$root/scripts/fuzz.sh" "$fuzz_seconds"
fi
