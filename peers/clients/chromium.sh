#!/usr/bin/env bash
# Headless Chromium (Debian's chromium), driven by playwright-core from tests/browser
# (`npm ci --prefix tests/browser`, done by scripts/install-deps.sh): one navigation to URL.
# TLS only: browsers speak HTTP/2 only over TLS with ALPN h2 (no prior knowledge). The
# certificate in CA_FILE is trusted by its public key hash (--ignore-certificate-errors-spki-list),
# so no system trust store changes. Exits 0 only when the navigation gets a 2xx over HTTP/2;
# a protocol error (net::ERR_HTTP2_...) exits non-zero.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --version ]; then chromium --version 2>/dev/null | head -n1; exit 0; fi
client_args "$@"
url=$1 ca=${2:-}
if [[ $url != https://* ]] || [ -z "$ca" ]; then
  echo "chromium speaks HTTP/2 over TLS only: give an https:// URL and CA_FILE" >&2
  exit 64
fi
spki=$(openssl x509 -in "$ca" -pubkey -noout | openssl pkey -pubin -outform der |
       openssl dgst -sha256 -binary | base64)
exec node "$(dirname "$0")/chromium/fetch.mjs" "$url" "$spki"
