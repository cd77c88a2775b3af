#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) the OSS-Fuzz way through fuzzers/build.sh
# and runs each for SECONDS (default 20) from its seed corpus: scripts/oss-fuzz-build-test.sh
# with a longer time, so that CI builds the fuzzers once and tests the OSS-Fuzz layout with it.
# A crash fails the script and leaves the input in build-fuzz/crashes/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/scripts/oss-fuzz-build-test.sh" "${1:-20}"
