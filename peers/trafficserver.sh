#!/usr/bin/env bash
# Apache Traffic Server (Debian package trafficserver) on 127.0.0.1:PORT over TLS with HTTP/2,
# in the foreground: traffic_server itself (not traffic_manager), with a runroot and every
# configuration file in WORKDIR. Cleartext mode is HTTP/2 with prior knowledge (a port with
# proto=http2). No origin: a Lua remap script (tslua) answers every request itself, GET
# /large.txt with the 256 KiB page and anything else, POST included, with the test page.
# Usage: peers/trafficserver.sh PORT tls|clear WORKDIR
set -eu
. "$(dirname "$0")/lib.sh"
peer_version='traffic_server -V 2>&1 | head -n 1 | cut -d " " -f 1-3'
peer_args "$@"
port=$1 mode=$2 dir=$3
command -v traffic_server >/dev/null || peer_die "traffic_server is not installed (apt-get install trafficserver)"
peer_prepare "$dir" "$mode"
ats=$dir/trafficserver
mkdir -p "$ats/etc" "$ats/var" "$ats/run" "$ats/log" "$ats/cache"
cp -r /etc/trafficserver/body_factory "$ats/etc/"
for f in cache.config hosting.config ip_allow.yaml logging.yaml parent.config plugin.config \
         sni.yaml socks.config splitdns.config strategies.yaml volume.config; do
  [ ! -e "/etc/trafficserver/$f" ] || cp "/etc/trafficserver/$f" "$ats/etc/"
done
cat > "$ats/runroot.yaml" <<CONF
prefix: /usr
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: $ats/etc
datadir: $ats/var
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: $ats/var
runtimedir: $ats/run
logdir: $ats/log
cachedir: $ats/cache
CONF
if [ "$mode" = tls ]; then
  ports="$port:ssl:ip-in=127.0.0.1"
  echo "dest_ip=* ssl_cert_name=cert.pem ssl_key_name=key.pem" > "$ats/etc/ssl_multicert.config"
else
  ports="$port:proto=http2:ip-in=127.0.0.1"
  : > "$ats/etc/ssl_multicert.config"
fi
cat > "$ats/etc/records.config" <<CONF
CONFIG proxy.config.admin.user_id STRING #-1
CONFIG proxy.config.http.server_ports STRING $ports
CONFIG proxy.config.http.cache.http INT 0
CONFIG proxy.config.reverse_proxy.enabled INT 1
CONFIG proxy.config.url_remap.remap_required INT 1
CONFIG proxy.config.ssl.server.cert.path STRING $dir
CONFIG proxy.config.ssl.server.private_key.path STRING $dir
CONFIG proxy.config.exec_thread.autoconfig INT 0
CONFIG proxy.config.exec_thread.limit INT 2
CONFIG proxy.config.task_threads INT 1
CONFIG proxy.config.log.logging_enabled INT 0
CONFIG proxy.config.diags.output.status STRING E
CONFIG proxy.config.diags.output.note STRING E
CONFIG proxy.config.diags.output.warning STRING E
CONFIG proxy.config.diags.output.error STRING E
CONFIG proxy.config.diags.output.fatal STRING E
CONFIG proxy.config.diags.output.alert STRING E
CONFIG proxy.config.diags.output.emergency STRING E
CONFIG proxy.config.hostdb.host_file.path STRING /etc/hosts
CONFIG proxy.config.dns.resolv_conf STRING /etc/resolv.conf
CONF
echo "$ats/cache 16M" > "$ats/etc/storage.config"
cat > "$ats/etc/page.lua" <<LUA
local function read(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end
local index = read("$dir/docroot/index.html")
local large = read("$dir/docroot/large.txt")
local function answer(body, content_type)
  return function()
    ts.say("HTTP/1.1 200 OK\r\nContent-Type: " .. content_type .. "\r\nContent-Length: " ..
           #body .. "\r\n\r\n" .. body)
  end
end
function do_remap()
  if ts.client_request.get_uri() == "/large.txt" then
    ts.http.intercept(answer(large, "text/plain"))
  else
    ts.http.intercept(answer(index, "text/html"))
  end
  return 0
end
LUA
echo "map / http://127.0.0.1:1/ @plugin=tslua.so @pparam=$ats/etc/page.lua" > "$ats/etc/remap.config"
exec traffic_server --run-root="$ats/runroot.yaml"
