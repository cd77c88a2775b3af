#!/usr/bin/env bash
# HAProxy (Debian package haproxy) on 127.0.0.1:PORT with an HTTP/2 front end, in the
# foreground, forwarding over HTTP/2 to an nghttpd (nghttp2-server) on another loopback port.
# Cleartext mode is HTTP/2 with prior knowledge (proto h2); TLS offers ALPN h2 only.
# The recipe stays the parent of both (it does not exec): on SIGTERM or SIGINT it stops
# HAProxy and nghttpd by their process ids and waits for them; when either ends on its own, it
# stops the other and exits. (HAProxy's master-worker mode, which can start nghttpd itself,
# left its worker and nghttpd running about one time in ten when SIGTERM came just after
# start-up.)
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
backend_pid="" front_pid=""
stop_both() {
  kill $front_pid $backend_pid 2>/dev/null || true
  wait $front_pid $backend_pid 2>/dev/null || true
}
trap 'stop_both; exit 0' TERM INT
nghttpd -a 127.0.0.1 --no-tls -d "$dir/docroot" "$backend_port" &
backend_pid=$!
haproxy -db -f "$dir/haproxy/haproxy.cfg" &
front_pid=$!
status=0
wait -n "$front_pid" "$backend_pid" || status=$?
stop_both
exit "$status"
