#!/usr/bin/env bash
# A TLS server that offers only ALPN http/1.1 (openssl s_server) on 127.0.0.1:PORT, in the
# foreground: HTTP/2 is not enabled on this TLS port, for the preflight tests.
# Usage: tests/peers/not_http2/tls_http1.sh PORT tls WORKDIR
set -eu
. "$(dirname "$0")/../../../peers/lib.sh"
peer_args "$@"
port=$1 dir=$3
peer_prepare "$dir" tls
exec openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$dir/cert.pem" -key "$dir/key.pem" \
  -alpn http/1.1 -www
