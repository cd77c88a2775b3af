#!/usr/bin/env bash
# The main job: install the dependencies, build, start nghttpd on loopback and run the whole
# catalogue against it over TLS, writing results/ (JSON, JUnit and the HTML report). Stops
# nghttpd afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

. "$root/scripts/lib.sh"
temp_workspace
port=$(free_port)
"$root/peers/nghttpd.sh" "$port" tls "$tmp" 2>"$tmp/server.log" &
server_pid=$!
wait_port "$port" 10 "$server_pid" || { echo "nghttpd did not start:" >&2; cat "$tmp/server.log" >&2; exit 2; }

mkdir -p "$root/results"
set +e
"$root/build/runner/cli/h2conform" -h 127.0.0.1 -p "$port" -t -k \
  --target-name "nghttpd $(nghttpd --version | sed 's|.*/||')" \
  --json-report "$root/results/nghttpd.json" -j "$root/results/nghttpd.xml" \
  --html-report "$root/results/nghttpd.html" "$@"
status=$?
set -e
echo "results: $root/results/nghttpd.json, $root/results/nghttpd.xml, $root/results/nghttpd.html"
exit $status
