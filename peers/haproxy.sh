#!/usr/bin/env bash
# HAProxy (Debian package haproxy) on 127.0.0.1:PORT with an HTTP/2 front end, in the
# foreground, forwarding over HTTP/2 to an nghttpd (nghttp2-server) on another loopback port.
# Cleartext mode is HTTP/2 with prior knowledge (proto h2); TLS offers ALPN h2 only.
# HAProxy runs in master-worker mode and starts nghttpd itself (a "program" section): the
# process this recipe execs is the master, and on SIGTERM it stops its worker and nghttpd.
# Usage: peers/haproxy.sh PORT tls|clear WORKDIR
set -eu
here=$(dirname "$0")
. "$here/lib.sh"
peer_version='haproxy -v | sed "s/ [0-9]*\/[0-9]*\/[0-9]* - .*//"'
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v haproxy >/dev/null || peer_die "haproxy is not installed (apt-get install haproxy)"
command -v nghttpd >/dev/null || peer_die "nghttpd is not installed (apt-get install nghttp2-server)"
peer_prepare "$dir" "$mode"
. "$here/../scripts/lib.sh"
backend_port=$(free_port) || peer_die "no free loopback port for nghttpd"
mkdir -p "$dir/haproxy"
if [ "$mode" = tls ]; then
  cat "$dir/cert.pem" "$dir/key.pem" > "$dir/haproxy/cert-and-key.pem"
  bind="bind 127.0.0.1:$port ssl crt $dir/haproxy/cert-and-key.pem alpn h2"
else
  bind="bind 127.0.0.1:$port proto h2"
fi
cat > "$dir/haproxy/haproxy.cfg" <<CONF
global
  log stderr format raw local0 warning
  pidfile $dir/haproxy/haproxy.pid
  master-worker
program backend
  command nghttpd -a 127.0.0.1 --no-tls -d $dir/docroot $backend_port
defaults
  mode http
  log global
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  # nghttpd may still be starting when the first request comes: retry (bounded).
  retries 10
  retry-on conn-failure
frontend h2
  $bind
  default_backend nghttpd
backend nghttpd
  server nghttpd 127.0.0.1:$backend_port proto h2
CONF
exec haproxy -W -db -f "$dir/haproxy/haproxy.cfg"
