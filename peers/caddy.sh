#!/usr/bin/env bash
# Caddy (Debian package caddy) on 127.0.0.1:PORT with HTTP/2, in the foreground. No admin
# endpoint, no automatic HTTPS (TLS uses the recipe's self-signed certificate), and its data
# and configuration folders in WORKDIR. Cleartext mode is HTTP/2 with prior knowledge (h2c).
# POST answers 200 with a short body (respond); GET serves the document root.
# Usage: peers/caddy.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version='echo "caddy $(caddy version)"'
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v caddy >/dev/null || peer_die "caddy is not installed (apt-get install caddy)"
peer_prepare "$dir" "$mode"
mkdir -p "$dir/caddy"
if [ "$mode" = tls ]; then
  site="https://:$port" tls="tls $dir/cert.pem $dir/key.pem"
else
  site="http://:$port" tls=""
fi
cat > "$dir/caddy/Caddyfile" <<CONF
{
  admin off
  auto_https off
  skip_install_trust
  storage file_system $dir/caddy
  servers {
    protocols h1 h2 h2c
  }
}
$site {
  bind 127.0.0.1
  $tls
  @post method POST
  respond @post "h2conform post answer" 200
  root * $dir/docroot
  file_server
}
CONF
export HOME="$dir/caddy" XDG_DATA_HOME="$dir/caddy" XDG_CONFIG_HOME="$dir/caddy"
exec caddy run --config "$dir/caddy/Caddyfile" --adapter caddyfile
