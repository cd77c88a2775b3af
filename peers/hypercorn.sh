#!/usr/bin/env bash
# Hypercorn (Debian package python3-hypercorn) serving a tiny ASGI app (peers/hypercorn/app.py)
# on 127.0.0.1:PORT, in the foreground. Cleartext mode is HTTP/2 with prior knowledge (Hypercorn
# takes the HTTP/2 preface on its cleartext port). POST answers 200 with the request body.
# Usage: peers/hypercorn.sh PORT tls|clear WORKDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
# hypercorn has no --version flag: ask the Python its script runs with.
peer_version='"$(sed -n '\''1s/^#!//p'\'' "$(command -v hypercorn)")" -c '\''import importlib.metadata as m; print("hypercorn", m.version("hypercorn"))'\'''
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v hypercorn >/dev/null || peer_die "hypercorn is not installed (apt-get install python3-hypercorn)"
peer_prepare "$dir" "$mode"
export H2CONFORM_DOCROOT="$dir/docroot" PYTHONPATH="$here/hypercorn" PYTHONDONTWRITEBYTECODE=1
if [ "$mode" = tls ]; then
  exec hypercorn --bind "127.0.0.1:$port" --certfile "$dir/cert.pem" --keyfile "$dir/key.pem" app:app
else
  exec hypercorn --bind "127.0.0.1:$port" app:app
fi
