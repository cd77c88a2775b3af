#!/usr/bin/env bash
# Go's net/http with golang.org/x/net/http2 (peers/clients/go/client.go): one GET, HTTP/2 only
# (h2c prior knowledge over http://, ALPN h2 over https:// trusting CA_FILE). The program is
# built once per source version into a cache folder (GOPATH mode against Debian's packages, no
# network); later runs reuse the binary. Exits 0 only for a complete 2xx response.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --version ]; then go version | cut -d' ' -f3; exit 0; fi
client_args "$@"
src=$(cd "$(dirname "$0")/go" && pwd)/client.go
cache=${H2CONFORM_CLIENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/h2conform}
bin="$cache/go-client-$(sha256sum "$src" | cut -c1-16)"
if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/go-build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/cache" GOFLAGS= GOENV=off \
    go build -o "$work/client" "$src" >&2
  mv -f "$work/client" "$bin"  # atomic: parallel cases never run a half-written binary
fi
exec "$bin" "$@"
