#!/usr/bin/env bash
# A Node.js http2 server (peers/node/server.js) on 127.0.0.1:PORT, in the foreground.
# TLS: http2.createSecureServer. Cleartext: http2.createServer, HTTP/2 with prior knowledge.
# POST answers 200 with the request body.
# Usage: peers/node.sh PORT tls|clear WORKDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
peer_version='echo "node $(node --version)"'
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v node >/dev/null || peer_die "node is not installed (apt-get install nodejs)"
peer_prepare "$dir" "$mode"
if [ "$mode" = tls ]; then
  exec node "$here/node/server.js" "$port" "$dir/docroot" "$dir/cert.pem" "$dir/key.pem"
else
  exec node "$here/node/server.js" "$port" "$dir/docroot"
fi
