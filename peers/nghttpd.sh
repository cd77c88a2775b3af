#!/usr/bin/env bash
# nghttpd (Debian package nghttp2-server) on 127.0.0.1:PORT, in the foreground.
# Usage: peers/nghttpd.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version="nghttpd --version"
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v nghttpd >/dev/null || peer_die "nghttpd is not installed (apt-get install nghttp2-server)"
peer_prepare "$dir" "$mode"
if [ "$mode" = tls ]; then
  exec nghttpd -a 127.0.0.1 -d "$dir/docroot" "$port" "$dir/key.pem" "$dir/cert.pem"
else
  exec nghttpd -a 127.0.0.1 --no-tls -d "$dir/docroot" "$port"
fi
