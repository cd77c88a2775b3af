#!/usr/bin/env bash
# Builds every libFuzzer target and the two nghttp2 baselines the same way (clang,
# -fsanitize=fuzzer,address,undefined, libraries as instrumented <lib>_fuzzlib copies, nghttp2's
# lib/*.c from its source package compiled with the same flags), then runs each target alone,
# one after the other, for SECONDS (default 60) from a scratch copy of its seed corpus with its
# .options, and prints a table: exec/s, executions, the edges instrumented in the binary, edges
# (`cov:`) when the seeds are loaded and at the end, features (`ft:`) and the corpus at the
# end, then the ratios of hpack_decoder and session to their baselines. fuzzers/README.md
# ("Speed and coverage beside nghttp2") records a run.
#
# The baselines use their counterpart's seeds, dictionary and options: nghttp2_hpack_inflate
# those of hpack_decoder, nghttp2_session_recv those of session (session_structured also takes
# session's seeds). Every run uses -seed=1.
#
# Environment:
#   FUZZ_COMPARE_DIR  build folder, scratch corpora, logs and crashes (default build-fuzz/compare)
#   NGHTTP2_SOURCE    an unpacked nghttp2 source tree to use instead of scripts/nghttp2-source.sh;
#                     "none" links the installed libnghttp2 as it is (uninstrumented, so the
#                     baselines' coverage counts only their harness: not comparable)
#   FUZZ_TARGETS      a space-separated subset of targets to run (default: every one built)
# Bounds: configuring 10 minutes, building an hour, each run SECONDS plus two minutes. A crash
# or a failed property marks its row FAILED, keeps the input in DIR/crashes/<target>/ and the
# log in DIR/logs/<target>.log, and makes the script exit 1 after the table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
dir=${FUZZ_COMPARE_DIR:-$root/build-fuzz/compare}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
build="$dir/build"

nghttp2_source=${NGHTTP2_SOURCE:-}
if [ -z "$nghttp2_source" ]; then
  if ! nghttp2_source=$("$root/scripts/nghttp2-source.sh" "$dir/nghttp2-source" | tail -n 1); then
    echo "fuzz-compare: no nghttp2 source; the baselines link the uninstrumented library" >&2
    nghttp2_source=none
  fi
fi
instrumented=yes
if [ "$nghttp2_source" = none ]; then
  instrumented=no
  nghttp2_source=""
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
CC=clang CXX=clang++ timeout 600 cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DH2CONFORM_FUZZ=ON -DH2CONFORM_LIB_FUZZING_ENGINE= -DH2CONFORM_BENCH=OFF \
  -DH2CONFORM_ONLY="wire;hpack;transport;engine;reports;fuzzers" \
  -DH2CONFORM_NGHTTP2_SOURCE="$nghttp2_source" "${launcher[@]}" >"$dir/configure.log" 2>&1 || {
  tail -n 30 "$dir/configure.log"; exit 1; }
timeout 3600 cmake --build "$build" -j "$(nproc)" --target fuzzers >"$dir/build.log" 2>&1 || {
  tail -n 30 "$dir/build.log"; exit 1; }
for t in nghttp2_hpack_inflate nghttp2_session_recv; do
  [ -x "$build/fuzzers/${t}_fuzzer" ] || {
    echo "fuzz-compare: ${t}_fuzzer not built (is libnghttp2-dev installed?)" >&2; exit 1; }
done

# Where a target's seeds and options come from.
seeds_of() {
  case $1 in
    nghttp2_hpack_inflate) echo hpack_decoder ;;
    nghttp2_session_recv|session_structured) echo session ;;
    *) echo "$1" ;;
  esac
}
options_of() {
  case $1 in
    nghttp2_hpack_inflate) echo hpack_decoder ;;
    nghttp2_session_recv) echo session ;;
    *) echo "$1" ;;
  esac
}

targets=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  for bin in "$build"/fuzzers/*_fuzzer; do
    t=$(basename "$bin" _fuzzer)
    [[ $t == nghttp2_* ]] || targets+=("$t")
  done
  targets+=(nghttp2_hpack_inflate nghttp2_session_recv)
fi

field() { sed -nE "s/.* $1: ([^ ]+).*/\\1/p" <<<"$2"; }  # the value after "NAME: " in a status line

declare -A execs_per_s edges features start_edges corpus_end executions counters
failed=0
mkdir -p "$dir/logs"
for t in "${targets[@]}"; do
  bin="$build/fuzzers/${t}_fuzzer"
  [ -x "$bin" ] || { echo "fuzz-compare: no ${t}_fuzzer in $build/fuzzers" >&2; exit 1; }
  seeds="$root/fuzzers/corpus/$(seeds_of "$t")"
  scratch="$dir/corpus/$t"
  crashes="$dir/crashes/$t"
  log="$dir/logs/$t.log"
  rm -rf "$scratch" "$crashes"
  mkdir -p "$scratch" "$crashes"
  [ -d "$seeds" ] && cp "$seeds"/* "$scratch"/
  nseeds=$(find "$scratch" -type f | wc -l)
  opts=(-timeout=30)  # an .options line that follows overrides it
  optfile="$root/fuzzers/$(options_of "$t").options"
  [ -f "$optfile" ] && while IFS='= ' read -r k v; do
    case $k in
      ''|\[*|\#*) ;;
      dict) opts+=("-dict=$root/fuzzers/$v") ;;
      *) opts+=("-$k=$v") ;;
    esac
  done <"$optfile"
  echo "fuzz-compare: $t for ${seconds}s from $nseeds seeds ($(basename "$seeds"))" >&2
  status=ok
  timeout $((seconds + 120)) "$bin" "${opts[@]}" -seed=1 -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$scratch" >"$log" 2>&1 || status=FAILED
  [ "$status" = ok ] || failed=$((failed + 1))
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
  inited=$(grep -E '^#[0-9]+.*INITED.*cov: ' "$log" | tail -n 1 || true)
  edges[$t]=$(field cov "$last")
  features[$t]=$(field ft "$last")
  start_edges[$t]=$(field cov "$inited")
  counters[$t]=$(sed -nE 's/^INFO: Loaded [0-9]+ modules +\(([0-9]+) inline 8-bit counters\).*/\1/p' "$log" | head -n 1)
  executions[$t]=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
  execs_per_s[$t]=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)
  files=$(find "$scratch" -type f | wc -l)
  kib=$(du -sk --apparent-size "$scratch" | cut -f1)
  corpus_end[$t]="$files inputs, $kib KiB"
  [ "$status" = ok ] || { execs_per_s[$t]="FAILED (${execs_per_s[$t]:-?})"; echo "fuzz-compare: $t FAILED, see $log" >&2; }
done

note=""
[ "$instrumented" = yes ] || note=" (nghttp2 uninstrumented: its edges and features count only the harness)"
{
  echo "| target | exec/s | executions | edges in the binary | edges at start | edges (\`cov:\`) | features (\`ft:\`) | corpus at the end |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for t in "${targets[@]}"; do
    echo "| \`$t\` | ${execs_per_s[$t]:-?} | ${executions[$t]:-?} | ${counters[$t]:-?} | ${start_edges[$t]:-?} | ${edges[$t]:-?} | ${features[$t]:-?} | ${corpus_end[$t]} |"
  done
  ratio() {  # ours vs baseline: exec/s and edges
    local a=$1 b=$2
    [ -n "${execs_per_s[$a]:-}" ] && [ -n "${execs_per_s[$b]:-}" ] || return 0
    [[ ${execs_per_s[$a]} =~ ^[0-9]+$ && ${execs_per_s[$b]} =~ ^[0-9]+$ && ${execs_per_s[$b]} -gt 0 ]] || return 0
    awk -v a="${execs_per_s[$a]}" -v b="${execs_per_s[$b]}" -v ea="${edges[$a]:-0}" -v eb="${edges[$b]:-0}" \
        -v na="$a" -v nb="$b" \
        'BEGIN { printf "\n%s / %s: exec/s %.2f, edges %.2f", na, nb, a / b, (eb > 0 ? ea / eb : 0) }'
  }
  ratio hpack_decoder nghttp2_hpack_inflate
  ratio session nghttp2_session_recv
  echo
  echo
  echo "${seconds} s per target, one at a time, -seed=1, $(nproc) cores${note}."
} | tee "$dir/table.md"
[ "$failed" -eq 0 ]
