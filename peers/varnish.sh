#!/usr/bin/env bash
# Varnish (Debian package varnish) on 127.0.0.1:PORT with HTTP/2 (-p feature=+http2), in the
# foreground (-F), its instance folder in WORKDIR (-n). Cleartext only (HTTP/2 with prior
# knowledge): Varnish has no TLS, so tls mode exits 77 (not supported). No backend: the VCL
# answers every request itself (synth 200), GET /large.txt with the 256 KiB page and anything
# else, POST included, with the test page.
# Usage: peers/varnish.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version='varnishd -V 2>&1 | sed "s/ revision [0-9a-f]*//"'
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v varnishd >/dev/null || peer_die "varnishd is not installed (apt-get install varnish)"
[ "$mode" = clear ] || peer_unsupported "Varnish does not speak TLS; use clear"
peer_prepare "$dir" "$mode"
mkdir -p "$dir/varnish"
cat > "$dir/varnish/default.vcl" <<VCL
vcl 4.1;
import std;
backend default none;
sub vcl_recv {
  return (synth(200));
}
sub vcl_synth {
  if (req.url == "/large.txt") {
    set resp.http.content-type = "text/plain";
    synthetic(std.fileread("$dir/docroot/large.txt"));
  } else {
    set resp.http.content-type = "text/html";
    synthetic(std.fileread("$dir/docroot/index.html"));
  }
  return (deliver);
}
VCL
# -j none: started as root, Varnish would otherwise run its worker as an unprivileged user,
# which cannot reach an instance folder under a private (0700) folder.
exec varnishd -F -j none -n "$dir/varnish/instance" -a "127.0.0.1:$port" \
  -f "$dir/varnish/default.vcl" -s malloc,32m -p feature=+http2
