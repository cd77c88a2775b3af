#!/usr/bin/env bash
# Starts your server, waits until it listens on loopback, runs h2conform against it, stops it.
#
#   ci/run-against.sh [--tls] [--port N] [--ready-timeout S] [--] SERVER-COMMAND...
#
# h2conform's own flags go in H2CONFORM_ARGS (e.g. "-k --json-report out.json -j junit.xml
# --baseline known-failures.txt"). The exit code is h2conform's: 0 passed, 1 a case failed
# (or regressed, with --baseline), 2 harness error (the server did not come up, for example).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
tls=() port="" ready=15
while [ $# -gt 0 ]; do
  case $1 in
    --tls) tls=(-t); shift ;;
    --port) port=$2; shift 2 ;;
    --ready-timeout) ready=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "run-against: unknown flag $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "run-against: no server command given" >&2; exit 64; }
[ -n "$port" ] || { echo "run-against: --port is required" >&2; exit 64; }
h2conform=${H2CONFORM:-$root/build/runner/cli/h2conform}
[ -x "$h2conform" ] || { echo "run-against: $h2conform is not built (scripts/build.sh)" >&2; exit 2; }

"$@" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
if ! wait_port "$port" "$ready" "$server_pid"; then
  echo "run-against: the server did not listen on 127.0.0.1:$port within ${ready}s" >&2
  exit 2
fi
# shellcheck disable=SC2086
"$h2conform" -h 127.0.0.1 -p "$port" "${tls[@]}" ${H2CONFORM_ARGS:-}
