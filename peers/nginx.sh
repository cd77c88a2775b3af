#!/usr/bin/env bash
# nginx (Debian package nginx-light) on 127.0.0.1:PORT with HTTP/2, in the foreground.
# Cleartext mode is HTTP/2 with prior knowledge.
# Usage: peers/nginx.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version="nginx -v"
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v nginx >/dev/null || peer_die "nginx is not installed (apt-get install nginx-light)"
peer_prepare "$dir" "$mode"
mkdir -p "$dir/nginx/logs"
if [ "$mode" = tls ]; then
  listen="listen 127.0.0.1:$port ssl http2; ssl_certificate $dir/cert.pem; ssl_certificate_key $dir/key.pem;"
else
  listen="listen 127.0.0.1:$port http2;"
fi
cat > "$dir/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
master_process off;
error_log stderr;
pid $dir/nginx/nginx.pid;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  server { $listen root $dir/docroot; }
}
CONF
exec nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf"
