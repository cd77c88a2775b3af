# Helpers for the scripts: pick a free loopback port, wait until a port accepts connections.

# free_port: prints a loopback port nobody listens on (checked by a refused connect). It is
# drawn from below the kernel's ephemeral range when that leaves room, so that no outgoing
# connection can hold it as its local port when the server binds it.
free_port() {
  local p tries=0 low=32768 base=20000 span
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then read -r low _ < /proc/sys/net/ipv4/ip_local_port_range; fi
  span=$(( low - base ))
  [ "$span" -ge 1000 ] || span=30000
  while [ $tries -lt 200 ]; do
    p=$(( base + RANDOM % span ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    tries=$((tries + 1))
  done
  echo "no free port found" >&2; return 1
}

# stop_server: stops the server this shell started in $server_pid, if any, and forgets it.
stop_server() {
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}

# temp_workspace: $tmp is a fresh folder, removed when the shell exits, after stop_server.
temp_workspace() {
  tmp=$(mktemp -d)
  server_pid=""
  trap 'stop_server; rm -rf "$tmp"' EXIT
}

# wait_port PORT SECONDS PID: returns 0 once 127.0.0.1:PORT accepts a connection, 1 when the
# deadline passes or the process PID exits first. Polls every 50 ms: each try ends on evidence.
wait_port() {
  local port=$1 deadline=$(( $(date +%s%N) + $2 * 1000000000 )) pid=$3
  while [ "$(date +%s%N)" -lt "$deadline" ]; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
