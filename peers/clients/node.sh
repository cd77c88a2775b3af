#!/usr/bin/env bash
# Node.js's http2 client (peers/clients/node/client.js): one GET. Exits 0 only for a complete
# 2xx response; any session or stream error exits non-zero.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --version ]; then echo "node $(node --version)"; exit 0; fi
client_args "$@"
exec node "$(dirname "$0")/node/client.js" "$@"
