#!/usr/bin/env bash
# nghttp (Debian's nghttp2-client): one GET. Cleartext is prior knowledge, TLS is ALPN h2
# (nghttp does not verify certificates, so CA_FILE is not needed). Exits 0 for a complete
# response whatever its status, non-zero when the request does not complete: no :status
# received (checked from its -v output), or a request whose stream did not close
# cleanly: nghttp also exits 0 after it reset a malformed response's stream itself (RST_STREAM
# PROTOCOL_ERROR), saying only "Some requests were not processed". Its verbose log, body
# included, goes to stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --version ]; then nghttp --version | head -n1; exit 0; fi
client_args "$@"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
nghttp -v -t 20 "$1" >"$out" 2>&1 || status=$?
cat "$out"
[ $status -eq 0 ] || exit $status
! grep -q '^Some requests were not processed' "$out" || exit 4
grep -Eq '^\[ *[0-9.]+\] recv \(stream_id=[0-9]+\) :status: ' "$out" || exit 3
