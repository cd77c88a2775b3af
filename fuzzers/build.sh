#!/bin/bash -eu
# Builds every fuzz target the OSS-Fuzz way, as OSS-Fuzz's and ClusterFuzzLite's base-builder
# image runs it. It reads only the builder's variables:
#   CXX, CXXFLAGS       the compiler and its flags (sanitizers, -fsanitize=fuzzer-no-link),
#                       applied to every library the targets use (the project is C++ only, so
#                       CC and CFLAGS go unused)
#   LIB_FUZZING_ENGINE  how to link a target with the fuzzing engine (-fsanitize=fuzzer)
#   OUT                 where each target goes, with what OSS-Fuzz looks for beside it:
#                       <name>_fuzzer, <name>_fuzzer_seed_corpus.zip (corpus/<name>/),
#                       <name>_fuzzer.dict and <name>_fuzzer.options
#   WORK                the CMake build folder goes in $WORK/h2conform-build
#   SRC                 where the builder keeps sources; this script finds the project from
#                       its own path instead, so the checkout may have any name
# scripts/oss-fuzz-build-test.sh runs it on an ordinary machine; ci/clusterfuzzlite/ in CI.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${SRC:?}" "${OUT:?}" "${WORK:?}" "${CXX:?}" "${LIB_FUZZING_ENGINE:?}"
build="$WORK/h2conform-build"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

cmake -S "$root" -B "$build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
  -DH2CONFORM_FUZZ=ON -DH2CONFORM_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" -DH2CONFORM_BENCH=OFF \
  -DH2CONFORM_ONLY="wire;hpack;transport;engine;reports;fuzzers" >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzzers

mkdir -p "$OUT"
built=0
for bin in "$build"/fuzzers/*_fuzzer; do
  [ -x "$bin" ] || continue
  target=$(basename "$bin")
  name=${target%_fuzzer}
  cp "$bin" "$OUT/$target"
  corpus="$root/fuzzers/corpus/$name"
  rm -f "$OUT/${target}_seed_corpus.zip"
  if [ -d "$corpus" ]; then
    (cd "$corpus" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  fi
  # <name>.options names its dictionary relative to fuzzers/; beside the binary it becomes
  # <name>_fuzzer.dict, which OSS-Fuzz also picks up on its own.
  rm -f "$OUT/$target.options" "$OUT/$target.dict"
  if [ -f "$root/fuzzers/$name.options" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^dict[[:space:]]*=[[:space:]]*(.+)$ ]]; then
        cp "$root/fuzzers/${BASH_REMATCH[1]}" "$OUT/$target.dict"
        line="dict = $target.dict"
      fi
      printf '%s\n' "$line" >> "$OUT/$target.options"
    done < "$root/fuzzers/$name.options"
  fi
  built=$((built + 1))
done
echo "fuzzers/build.sh: $built targets in $OUT"
[ "$built" -gt 0 ]
