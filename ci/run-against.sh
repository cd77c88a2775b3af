#!/usr/bin/env bash
# Starts your server, waits until it listens on loopback, runs h2conform against it, stops it.
#
#   ci/run-against.sh [--tls] --port N [--ready-timeout S] [--baseline FILE] [--] SERVER-COMMAND...
#
# h2conform's own flags go in H2CONFORM_ARGS (e.g. "-k --json-report out.json -j junit.xml
# --html-report out.html"); they are split on spaces. The binary is $H2CONFORM, else the one
# scripts/build.sh builds beside this script (build/runner/cli/h2conform).
#
# --baseline FILE: a list of known failures (one case id per line). When FILE exists, the run
# compares with it (h2conform --baseline FILE): only regressions and new failing cases fail.
# When it does not exist yet (the first run), the run goes without it, FILE is written from
# this run's results (h2conform report RUN.json --write-known-failures FILE), a note on stderr
# says to commit it, and the exit code is 0 unless h2conform hit a harness error (2).
#
# The exit code is h2conform's: 0 passed, 1 a case failed (or regressed, with --baseline),
# 2 harness error (the server did not come up, for example), 64 usage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
tls=() port="" ready=15 baseline=""
while [ $# -gt 0 ]; do
  case $1 in
    --tls) tls=(-t); shift ;;
    --port) port=${2:-}; shift 2 ;;
    --ready-timeout) ready=${2:-}; shift 2 ;;
    --baseline) baseline=${2:-}; shift 2 ;;
    --) shift; break ;;
    -*) echo "run-against: unknown flag $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "run-against: no server command given" >&2; exit 64; }
[ -n "$port" ] || { echo "run-against: --port is required" >&2; exit 64; }
h2conform=${H2CONFORM:-$root/build/runner/cli/h2conform}
[ -x "$h2conform" ] || { echo "run-against: $h2conform is not built (scripts/build.sh --binary-only)" >&2; exit 2; }

# shellcheck disable=SC2206
args=(${H2CONFORM_ARGS:-})
temp_workspace

# The results file of this run: the one named in H2CONFORM_ARGS, else one of our own, needed
# to write a first baseline.
json=""
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --json-report) json=${args[i + 1]:-} ;;
    --json-report=*) json=${args[i]#--json-report=} ;;
  esac
done
write_baseline=no
if [ -n "$baseline" ]; then
  if [ -e "$baseline" ]; then
    args+=(--baseline "$baseline")
  else
    write_baseline=yes
    if [ -z "$json" ]; then json="$tmp/run.json"; args+=(--json-report "$json"); fi
  fi
fi

"$@" &
server_pid=$!
if ! wait_port "$port" "$ready" "$server_pid"; then
  echo "run-against: the server did not listen on 127.0.0.1:$port within ${ready}s" >&2
  exit 2
fi
status=0
"$h2conform" -h 127.0.0.1 -p "$port" "${tls[@]}" "${args[@]}" || status=$?
stop_server

if [ "$write_baseline" = yes ] && { [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; }; then
  mkdir -p "$(dirname "$baseline")"
  # `report --write-known-failures` may exit with the run's code (1 when cases failed): the
  # file it writes is the evidence.
  rm -f "$baseline"
  "$h2conform" report "$json" --write-known-failures "$baseline" >/dev/null || true
  if [ ! -f "$baseline" ]; then
    echo "run-against: could not write the baseline $baseline from $json" >&2
    exit 2
  fi
  echo "run-against: $baseline did not exist: wrote it from this run ($(grep -cv '^#' "$baseline" || true) known failures)." >&2
  echo "run-against: commit $baseline to your repository; later runs fail only on regressions." >&2
  status=0
fi
exit "$status"
