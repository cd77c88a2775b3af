#!/usr/bin/env bash
# h2o (Debian package h2o) on 127.0.0.1:PORT, in the foreground.
# Usage: peers/h2o.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version="h2o --version"
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v h2o >/dev/null || peer_die "h2o is not installed (apt-get install h2o)"
peer_prepare "$dir" "$mode"
{
  # Started as root, h2o switches to "nobody" unless told a user, and nobody cannot read a
  # document root under a private (0700) folder: every GET would answer 403. So root stays
  # root. Any other user must not name one: h2o then fails to change users.
  [ "$(id -u)" != 0 ] || echo "user: root"
  echo "listen:"
  echo "  host: 127.0.0.1"
  echo "  port: $port"
  if [ "$mode" = tls ]; then
    echo "  ssl:"
    echo "    certificate-file: $dir/cert.pem"
    echo "    key-file: $dir/key.pem"
    echo "    ocsp-update-interval: 0"
  fi
  echo "error-log: /dev/stderr"
  echo "hosts:"
  echo "  default:"
  echo "    paths:"
  echo "      /:"
  echo "        file.dir: $dir/docroot"
} > "$dir/h2o.conf"
exec h2o -c "$dir/h2o.conf"
