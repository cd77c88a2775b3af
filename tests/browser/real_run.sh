#!/usr/bin/env bash
# Writes the pages of a real run for check_pages.mjs, end to end through the h2conform binary:
# runs the whole catalogue (-S) against nghttpd over TLS and cleartext, renders the TLS report
# against a known-failures list with one failing case left out (a regression), checks the exit
# codes and the JUnit files, renders the matrix of both runs and writes expected.json.
# Usage: real_run.sh H2CONFORM_BINARY OUT_DIR
# Exit: 0 pages written and every check passed, 1 a check failed, 77 nghttpd, node or the
# binary missing (skip), 64 usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -eq 2 ] || { echo "usage: $0 H2CONFORM_BINARY OUT_DIR" >&2; exit 64; }
bin=$1 out=$2
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.xml "$out"/*.html "$out"/*.txt "$out"/*.log "$out"/*.png
# A skip leaves skipped.txt, so that check_pages.mjs skips too instead of failing.
skip() { echo "SKIP: $*"; echo "$*" >"$out/skipped.txt"; exit 77; }
die() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$bin" ] || skip "$bin is not an executable"
command -v nghttpd >/dev/null || skip "nghttpd is not installed (apt-get install nghttp2-server)"
command -v node >/dev/null || skip "node is not installed"
. "$root/scripts/lib.sh"

readonly run_limit=120 start_limit=10
work=$(mktemp -d)
pids=()
# stop PID: SIGTERM, then SIGKILL if the process is still there after 5 s; reaps it.
stop() {
  local pid=$1 deadline=$(( $(date +%s%N) + 5000000000 ))
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$(date +%s%N)" -lt "$deadline" ]; do sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop "$pid"; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# start_peer MODE: starts nghttpd on a free loopback port and prints the port. A port taken
# between free_port and the bind makes nghttpd exit; then another port is tried (3 tries).
start_peer() {
  local mode=$1 try port pid
  for try in 1 2 3; do
    port=$(free_port)
    "$root/peers/nghttpd.sh" "$port" "$mode" "$work/$mode" >"$out/nghttpd-$mode.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    if wait_port "$port" "$start_limit" "$pid"; then echo "$port"; return 0; fi
    stop "$pid"
  done
  cat "$out/nghttpd-$mode.log" >&2
  die "nghttpd ($mode) did not accept connections within ${start_limit} s (3 tries)"
}

# h2c EXPECTED_CODES... -- ARGS: runs the binary (bounded), fails unless its exit code is one
# of EXPECTED_CODES; prints the code.
h2c() {
  local allowed=() code=0
  while [ "$1" != -- ]; do allowed+=("$1"); shift; done
  shift
  timeout -k 5 "$run_limit" "$bin" "$@" >>"$out/h2conform.log" 2>&1 || code=$?
  [ "$code" -ne 124 ] || die "h2conform $* did not finish within ${run_limit} s"
  local ok
  for ok in "${allowed[@]}"; do [ "$code" -eq "$ok" ] && { echo "$code"; return 0; }; done
  tail -n 20 "$out/h2conform.log" >&2
  die "h2conform $* exited with $code, expected ${allowed[*]} (log: $out/h2conform.log)"
}

version=$(nghttpd --version | sed 's|.*/||')  # "nghttpd nghttp2/1.52.0" -> 1.52.0
# Both servers are started by this shell (not in $(...)), so the cleanup trap knows them.
start_peer tls >"$work/tls.port"
start_peer clear >"$work/clear.port"
tls_port=$(cat "$work/tls.port") clear_port=$(cat "$work/clear.port")

t0=$(now_ms)
tls_code=$(h2c 0 1 -- -h 127.0.0.1 -p "$tls_port" -t -k -S --target-name "nghttpd $version (tls)" \
  --json-report "$out/tls.json" -j "$out/tls.xml" --html-report "$out/tls.html")
t1=$(now_ms)
clear_code=$(h2c 0 1 -- -h 127.0.0.1 -p "$clear_port" -S --target-name "nghttpd $version (cleartext)" \
  --json-report "$out/clear.json")
t2=$(now_ms)
echo "runs: tls $((t1 - t0)) ms (exit $tls_code), cleartext $((t2 - t1)) ms (exit $clear_code)"

# The report of a results file is the page the run wrote.
h2c 0 1 -- report "$out/tls.json" --html "$work/again.html" --junit "$work/again.xml" >/dev/null
cmp -s "$out/tls.html" "$work/again.html" || die "report tls.json --html differs from the run's --html-report"
cmp -s "$out/tls.xml" "$work/again.xml" || die "report tls.json --junit differs from the run's -j"

# A known-failures list of the TLS run, then the same list without its first case.
h2c 0 -- report "$out/tls.json" --write-known-failures "$out/known-failures.txt" >/dev/null
removed=$(awk -F'\t' '!/^#/ && NF { print $1; exit }' "$out/known-failures.txt")
[ -n "$removed" ] || die "the TLS run has no failing case, so no regression can be made"
awk -F'\t' -v id="$removed" '$1 != id' "$out/known-failures.txt" >"$out/known-failures-less-one.txt"
echo "regression made by leaving out: $removed"

code=$(h2c 0 1 -- report "$out/tls.json" --baseline "$out/known-failures.txt" --junit "$work/full.xml")
[ "$code" -eq 0 ] || die "against the full known-failures list the report exits $code, not 0"
t3=$(now_ms)
code=$(h2c 0 1 -- report "$out/tls.json" --baseline "$out/known-failures-less-one.txt" \
  --html "$out/report.html" --junit "$out/report.xml")
[ "$code" -eq 1 ] || die "with one known failure left out the report exits $code, not 1"
t4=$(now_ms)
h2c 0 -- report "$out/tls.json" "$out/clear.json" --html "$out/matrix.html" >/dev/null
t5=$(now_ms)
echo "renders: report with baseline $((t4 - t3)) ms, matrix $((t5 - t4)) ms"

if command -v xmllint >/dev/null; then
  for xml in "$out/tls.xml" "$out/report.xml" "$work/full.xml"; do
    xmllint --noout --schema "$root/reports/junit.xsd" "$xml" 2>"$work/xmllint.log" ||
      { cat "$work/xmllint.log" >&2; die "$xml does not validate against reports/junit.xsd"; }
  done
  echo "JUnit files valid against reports/junit.xsd"
else
  echo "xmllint not installed: JUnit files not validated against the schema"
fi
node "$here/real_pages.mjs" junit "$out/report.xml" "$out/tls.json" "$out/known-failures-less-one.txt" 1 ||
  die "report.xml does not mark the regression and the known failures as expected"
node "$here/real_pages.mjs" junit "$work/full.xml" "$out/tls.json" "$out/known-failures.txt" 0 ||
  die "the JUnit file against the full list does not mark every failure as known"
node "$here/real_pages.mjs" expected "$out" "$out/tls.json" "$out/clear.json" "$out/known-failures-less-one.txt" ||
  die "cannot write $out/expected.json"
echo "report.html $(wc -c <"$out/report.html") bytes, matrix.html $(wc -c <"$out/matrix.html") bytes"
