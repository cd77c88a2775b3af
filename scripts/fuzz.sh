#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) into
# build-fuzz/ and runs each for SECONDS (default 20) on a copy of its corpus.
# A crash fails the script and leaves the input in build-fuzz/crashes/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DH2CONFORM_FUZZ=ON -DH2CONFORM_BENCH=OFF \
  -DH2CONFORM_ONLY="wire;hpack;transport;engine;fuzzers" >/dev/null
cmake --build "$root/build-fuzz" -j "$(nproc)" --target fuzzers
failed=0 ran=0
for bin in "$root"/build-fuzz/fuzzers/*_fuzzer; do
  [ -x "$bin" ] || continue
  target=$(basename "$bin")
  name=${target%_fuzzer}
  corpus="$root/fuzzers/corpus/$name"
  work="$root/build-fuzz/corpus-run/$name"
  crashes="$root/build-fuzz/crashes/$name"
  rm -rf "$work"; mkdir -p "$work" "$crashes"
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
  opts=()
  [ -f "$root/fuzzers/$name.options" ] && while IFS='= ' read -r k v; do
    case $k in
      ''|\[*|\#*) ;;
      dict) opts+=("-dict=$root/fuzzers/$v") ;;  # relative to fuzzers/, as in OSS-Fuzz
      *) opts+=("-$k=$v") ;;
    esac
  done < "$root/fuzzers/$name.options"
  echo "fuzz: $target for ${seconds}s"
  ran=$((ran + 1))
  if ! "$bin" "${opts[@]}" -max_total_time="$seconds" -artifact_prefix="$crashes/" \
       -print_final_stats=0 "$work" >"$root/build-fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; last lines:"; tail -n 30 "$root/build-fuzz/$name.log"
    failed=$((failed + 1))
  else
    grep -E "^#[0-9]+.*(DONE|pulse)" "$root/build-fuzz/$name.log" | tail -n 1 || true
  fi
done
echo "fuzz: $((ran - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$ran" -gt 0 ]
