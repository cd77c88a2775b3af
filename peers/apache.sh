#!/usr/bin/env bash
# Apache httpd (Debian package apache2) on 127.0.0.1:PORT with mpm_event and mod_http2, in the
# foreground, with its ServerRoot and configuration in WORKDIR (not the system's).
# Cleartext mode is HTTP/2 with prior knowledge (H2Direct). POST answers 200 with the request
# body reflected (mod_reflector).
# Usage: peers/apache.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version='apache2 -v | sed -n "s/^Server version: //p"'
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v apache2 >/dev/null || peer_die "apache2 is not installed (apt-get install apache2)"
peer_prepare "$dir" "$mode"
modules=/usr/lib/apache2/modules
mkdir -p "$dir/apache/logs"
{
  echo "ServerRoot $dir/apache"
  echo "ServerName localhost"
  echo "Listen 127.0.0.1:$port"
  echo "PidFile $dir/apache/apache.pid"
  echo "Mutex file:$dir/apache default"
  echo "DefaultRuntimeDir $dir/apache"
  echo "ErrorLog /dev/stderr"
  echo "LogLevel warn"
  for m in mpm_event authz_core mime dir file_cache rewrite reflector http2; do
    echo "LoadModule ${m}_module $modules/mod_$m.so"
  done
  echo "StartServers 1"
  echo "ServerLimit 1"
  echo "ThreadsPerChild 64"
  echo "MaxRequestWorkers 64"
  echo "MinSpareThreads 8"
  # Started as root, the workers switch to an unprivileged user (Apache refuses to serve as
  # root), which cannot read a document root under a private (0700) folder. So the parent maps
  # the two pages at start (mod_file_cache) and the workers serve them from memory.
  [ "$(id -u)" != 0 ] || { echo "User www-data"; echo "Group www-data"; }
  echo "MMapFile $dir/docroot/index.html $dir/docroot/large.txt"
  echo "DocumentRoot $dir/docroot"
  # "/" is index.html by rewriting the path, not by DirectoryIndex, whose look at the folder
  # needs it readable.
  echo "RewriteEngine on"
  # POST answers 200 with the request body reflected (mod_reflector): the file handler would
  # answer 405, or 403 for a page it cannot open.
  echo "RewriteCond %{REQUEST_METHOD} =POST"
  echo "RewriteRule ^ - [H=reflector]"
  echo "RewriteRule ^/\$ /index.html [PT]"
  echo "TypesConfig /etc/mime.types"
  echo "<Directory />"
  echo "  Require all granted"
  echo "  AllowOverride None"
  echo "  Options FollowSymLinks"
  echo "</Directory>"
  if [ "$mode" = tls ]; then
    echo "LoadModule ssl_module $modules/mod_ssl.so"
    echo "LoadModule socache_shmcb_module $modules/mod_socache_shmcb.so"
    echo "SSLSessionCache shmcb:$dir/apache/ssl_cache(512000)"
    echo "SSLEngine on"
    echo "SSLCertificateFile $dir/cert.pem"
    echo "SSLCertificateKeyFile $dir/key.pem"
    echo "Protocols h2 http/1.1"
  else
    echo "Protocols h2c http/1.1"
    echo "H2Direct on"
  fi
} > "$dir/apache/httpd.conf"
exec apache2 -d "$dir/apache" -f "$dir/apache/httpd.conf" -DFOREGROUND
