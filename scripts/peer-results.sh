#!/usr/bin/env bash
# Runs the whole catalogue (--strict) against every peer recipe, cleartext and TLS, and writes
# one results JSON per configuration into OUTDIR (NAME-MODE.json). Compare two such folders with
# scripts/verdict-diff.py: a refactoring must leave every verdict and reason class unchanged.
# Usage: scripts/peer-results.sh OUTDIR [BINARY]   (BINARY defaults to build/runner/cli/h2conform)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [BINARY]" >&2; exit 64; }
out=$1
binary=${2:-$root/build/runner/cli/h2conform}
[ -x "$binary" ] || { echo "no h2conform binary at $binary (build first)" >&2; exit 2; }
mkdir -p "$out"
temp_workspace
# The configurations of tests/peers (peers/expected/NAME-MODE.tsv); a server that is not
# installed is left out, with a note.
for config in nghttpd:clear nghttpd:tls nghttpd-push:tls h2o:clear h2o:tls nginx:clear nginx:tls \
              apache:clear apache:tls lighttpd:clear lighttpd:tls caddy:clear caddy:tls \
              haproxy:clear haproxy:tls go:clear go:tls node:clear node:tls hypercorn:clear \
              hypercorn:tls varnish:clear trafficserver:tls; do
  name=${config%%:*} mode=${config##*:}
  server=$(sed -n 's/^command -v \([a-z0-9_]*\) .*/\1/p' "$root/peers/$name.sh" | head -n 1)
  if [ -n "$server" ] && ! command -v "$server" >/dev/null; then
    echo "$name $mode: $server is not installed, left out" >&2; continue
  fi
  port=$(free_port)
  "$root/peers/$name.sh" "$port" "$mode" "$tmp/$name-$mode" >"$tmp/$name-$mode.log" 2>&1 &
  server_pid=$!
  wait_port "$port" 30 "$server_pid" || { echo "$name $mode did not start:" >&2; cat "$tmp/$name-$mode.log" >&2; exit 2; }
  flags=(-h 127.0.0.1 -p "$port" -S -o 2 --parallel 4 --json-report "$out/$name-$mode.json")
  [ "$mode" = tls ] && flags+=(-t -k)
  "$binary" "${flags[@]}" >/dev/null || [ $? -eq 1 ]
  stop_server
  echo "$name $mode: $out/$name-$mode.json"
done
