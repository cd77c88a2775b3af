#!/usr/bin/env bash
# Builds the fuzz targets through fuzzers/build.sh with the variables OSS-Fuzz's base-builder
# sets (clang, ASan + UBSan, -fsanitize=fuzzer-no-link, LIB_FUZZING_ENGINE=-fsanitize=fuzzer),
# checks that every target left what OSS-Fuzz expects in $OUT, and runs each for SECONDS
# (default 15) from its unzipped seed corpus with its .options. A crash, a failed property, a
# leak, an input slower than 30 s or a target that outlives its time by a minute fails the
# script; the input stays in build-fuzz/crashes/<name>/, the log in build-fuzz/<name>.log.
# scripts/fuzz.sh is this script with 20 s per target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-15}
base="$root/build-fuzz"
mkdir -p "$base"

export CC=clang CXX=clang++
export CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export OUT="$base/oss/out" WORK="$base/oss/work" SRC
SRC=$(dirname "$root")  # the checkout's parent, as $SRC holds the checkout in the builder
if [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache  # read by CMake; repeated builds in CI get cheap
fi
rm -rf "$OUT"
mkdir -p "$OUT" "$WORK"
"$root/fuzzers/build.sh"

failed=0 ran=0
for bin in "$OUT"/*_fuzzer; do
  [ -x "$bin" ] || continue
  target=$(basename "$bin")
  name=${target%_fuzzer}
  ran=$((ran + 1))
  log="$base/$name.log"
  problem=""
  if [ -d "$root/fuzzers/corpus/$name" ] && [ ! -f "$OUT/${target}_seed_corpus.zip" ]; then
    problem="no ${target}_seed_corpus.zip"
  elif [ -f "$root/fuzzers/$name.options" ] && [ ! -f "$OUT/$target.options" ]; then
    problem="no $target.options"
  elif grep -qs '^dict' "$OUT/$target.options" && [ ! -f "$OUT/$target.dict" ]; then
    problem="no $target.dict"
  fi
  if [ -n "$problem" ]; then
    echo "oss-fuzz: $name: $problem in \$OUT"
    failed=$((failed + 1))
    continue
  fi

  corpus="$base/oss/corpus/$name"
  crashes="$base/crashes/$name"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$crashes"
  [ -f "$OUT/${target}_seed_corpus.zip" ] && unzip -q -o "$OUT/${target}_seed_corpus.zip" -d "$corpus"
  opts=()
  [ -f "$OUT/$target.options" ] && while IFS='= ' read -r k v; do
    case $k in
      ''|\[*|\#*) ;;
      dict) opts+=("-dict=$OUT/$v") ;;  # relative to $OUT, as in OSS-Fuzz
      *) opts+=("-$k=$v") ;;
    esac
  done < "$OUT/$target.options"
  echo "oss-fuzz: $target for ${seconds}s"
  if ! timeout $((seconds + 60)) "$bin" "${opts[@]}" -max_total_time="$seconds" -timeout=30 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    echo "oss-fuzz: $name FAILED; last lines:"; tail -n 30 "$log"
    failed=$((failed + 1))
  else
    grep -E "^#[0-9]+.*DONE" "$log" | tail -n 1 || true
  fi
done
echo "oss-fuzz: $((ran - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$ran" -gt 0 ]
