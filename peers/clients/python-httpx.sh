#!/usr/bin/env bash
# Python httpx with h2 (Debian's python3-httpx, python3-h2): one GET with HTTP/2 only (http1
# off: prior knowledge over http://, ALPN h2 over https:// trusting CA_FILE). Exits 0 only for
# a complete 2xx response.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3  # Debian's interpreter, where the packages are
if [ "${1:-}" = --version ]; then
  "$py" -c 'import httpx, h2; print("httpx/" + httpx.__version__ + " h2/" + h2.__version__)'
  exit 0
fi
client_args "$@"
exec "$py" "$(dirname "$0")/python/client.py" "$@"
