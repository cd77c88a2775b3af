#!/usr/bin/env bash
# nghttpd with server push and padding on 127.0.0.1:PORT, in the foreground: a GET for / pushes
# /index.html (-p) and frames carry up to 16 octets of padding (-b), so the push and padding
# cases have something to judge. Usage: peers/nghttpd-push.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version="nghttpd --version"
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v nghttpd >/dev/null || peer_die "nghttpd is not installed (apt-get install nghttp2-server)"
peer_prepare "$dir" "$mode"
extras=(-p/=/index.html -b 16)
if [ "$mode" = tls ]; then
  exec nghttpd -a 127.0.0.1 "${extras[@]}" -d "$dir/docroot" "$port" "$dir/key.pem" "$dir/cert.pem"
else
  exec nghttpd -a 127.0.0.1 "${extras[@]}" --no-tls -d "$dir/docroot" "$port"
fi
