#!/usr/bin/env bash
# A Go net/http server (peers/go/server.go, built at start with Debian's golang-go and
# golang-golang-x-net-dev, in GOPATH mode: no network) on 127.0.0.1:PORT, in the foreground.
# TLS: http.Server.ListenAndServeTLS. Cleartext: HTTP/2 with prior knowledge through
# golang.org/x/net/http2/h2c. POST answers 200 with the request body.
# Usage: peers/go.sh PORT tls|clear WORKDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
peer_version="go version"
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v go >/dev/null || peer_die "go is not installed (apt-get install golang-go golang-golang-x-net-dev)"
gopath=/usr/share/gocode
[ -d "$gopath/src/golang.org/x/net/http2/h2c" ] || peer_die "golang.org/x/net is not installed (apt-get install golang-golang-x-net-dev)"
peer_prepare "$dir" "$mode"
mkdir -p "$dir/go"
GO111MODULE=off GOPATH=$gopath GOCACHE="$dir/go/cache" GOFLAGS= GOENV=off \
  go build -o "$dir/go/server" "$here/go/server.go" || peer_die "go build failed"
if [ "$mode" = tls ]; then
  exec "$dir/go/server" -addr "127.0.0.1:$port" -root "$dir/docroot" -cert "$dir/cert.pem" -key "$dir/key.pem"
else
  exec "$dir/go/server" -addr "127.0.0.1:$port" -root "$dir/docroot"
fi
