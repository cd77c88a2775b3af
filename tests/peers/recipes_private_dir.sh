#!/usr/bin/env bash
# Every recipe in peers/ serves its document root when the work folder sits under a private
# (0700) folder, as a build folder in a home directory does: GET / must answer 200 with the
# test page, over cleartext and TLS. Run as root this catches a server that switches to an
# unprivileged user (h2o does unless its configuration names one), which cannot read the page.
#   tests/peers/recipes_private_dir.sh SOURCE_DIR
# A recipe that exits 77 does not support the mode (peers/lib.sh, peer_unsupported): noted,
# not counted. Exit 0 all served, 1 a recipe did not, 77 no recipe's server or curl is
# installed.
set -uo pipefail
source_dir=$1
. "$source_dir/scripts/lib.sh"
command -v curl >/dev/null || { echo "curl is not installed: skipping"; exit 77; }

temp_workspace
mkdir -m 700 "$tmp/private"

ran=0 failed=0
for recipe in "$source_dir"/peers/*.sh; do
  name=$(basename "$recipe" .sh)
  [ "$name" != lib ] || continue
  server=$(sed -n 's/^command -v \([a-z0-9_]*\) .*/\1/p' "$recipe" | head -n 1)
  if [ -n "$server" ] && ! command -v "$server" >/dev/null; then
    echo "$name: $server is not installed, not checked"; continue
  fi
  for mode in clear tls; do
    port=$(free_port) || exit 2
    work="$tmp/private/build/$name-$mode"
    bash "$recipe" "$port" "$mode" "$work" >"$tmp/$name-$mode.log" 2>&1 &
    server_pid=$!
    # 30 s: the Go recipe compiles its server first.
    if ! wait_port "$port" 30 "$server_pid"; then
      if ! kill -0 "$server_pid" 2>/dev/null && { wait "$server_pid"; [ $? -eq 77 ]; }; then
        server_pid=""
        echo "$name $mode: not supported ($(tail -n 1 "$tmp/$name-$mode.log"))"
        continue
      fi
      echo "$name $mode: did not listen on 127.0.0.1:$port within 30 s"; cat "$tmp/$name-$mode.log"
      failed=$((failed + 1))
    else
      if [ "$mode" = tls ]; then url="https://127.0.0.1:$port/"; flags=(-k --http2)
      else url="http://127.0.0.1:$port/"; flags=(--http2-prior-knowledge); fi
      answer=$(curl -sS --max-time 10 "${flags[@]}" -o "$tmp/body" -w '%{http_version} %{http_code}' "$url" 2>&1)
      if [ "$answer" = "2 200" ] && grep -q 'h2conform test page' "$tmp/body"; then
        echo "$name $mode: GET / -> HTTP/2 200"
      else
        echo "$name $mode: GET / -> $answer (want HTTP/2 200 and the test page)"; cat "$tmp/$name-$mode.log"
        failed=$((failed + 1))
      fi
    fi
    stop_server
    ran=$((ran + 1))
  done
done
echo "$ran recipe runs as $(id -un), $failed failed"
[ "$ran" -gt 0 ] || exit 77
[ "$failed" -eq 0 ]
