#!/usr/bin/env bash
# An HTTP/1.x-only server (python3's http.server) on 127.0.0.1:PORT, in the foreground: a
# target that does not speak HTTP/2, for the preflight tests.
# Usage: tests/peers/not_http2/http1.sh PORT clear WORKDIR
set -eu
port=$1 dir=$3
mkdir -p "$dir"
cd "$dir"
exec python3 -m http.server --bind 127.0.0.1 "$port"
