#!/usr/bin/env bash
# lighttpd (Debian packages lighttpd, lighttpd-mod-openssl) on 127.0.0.1:PORT with HTTP/2, in
# the foreground (-D). Cleartext mode is HTTP/2 with prior knowledge (server.h2c).
# Usage: peers/lighttpd.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version='lighttpd -v | sed "s/ - .*//"'
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v lighttpd >/dev/null || peer_die "lighttpd is not installed (apt-get install lighttpd lighttpd-mod-openssl)"
peer_prepare "$dir" "$mode"
{
  echo "server.bind = \"127.0.0.1\""
  echo "server.port = $port"
  echo "server.document-root = \"$dir/docroot\""
  echo "server.errorlog = \"/dev/stderr\""
  echo "server.pid-file = \"$dir/lighttpd.pid\""
  echo "server.upload-dirs = ( \"$dir\" )"
  echo "index-file.names = ( \"index.html\" )"
  echo "mimetype.assign = ( \".html\" => \"text/html\", \".txt\" => \"text/plain\" )"
  echo "server.feature-flags = ( \"server.h2proto\" => \"enable\", \"server.h2c\" => \"enable\" )"
  if [ "$mode" = tls ]; then
    [ -e /usr/lib/lighttpd/mod_openssl.so ] || peer_die "mod_openssl is not installed (apt-get install lighttpd-mod-openssl)"
    echo "server.modules += ( \"mod_openssl\" )"
    echo "ssl.engine = \"enable\""
    echo "ssl.pemfile = \"$dir/cert.pem\""
    echo "ssl.privkey = \"$dir/key.pem\""
  fi
} > "$dir/lighttpd.conf"
exec lighttpd -D -f "$dir/lighttpd.conf"
