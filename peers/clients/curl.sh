#!/usr/bin/env bash
# curl (Debian's curl): one GET with HTTP/2 only. Over http:// with prior knowledge
# (RFC 9113 §3.3); over https:// with ALPN h2, trusting CA_FILE. The body goes to stdout; exits
# 0 for a complete response whatever its status (no -f: curl accepted it), non-zero on any
# HTTP/2 error curl detects.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --version ]; then curl --version | head -n1 | cut -d' ' -f1,2; exit 0; fi
client_args "$@"
url=$1 ca=${2:-}
if [[ $url == https://* ]]; then
  exec curl -sS --max-time 20 --http2 --cacert "$ca" "$url"
fi
exec curl -sS --max-time 20 --http2-prior-knowledge "$url"
