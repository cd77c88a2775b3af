#!/usr/bin/env bash
# A server that answers every connection with a line of another protocol (an SSH banner) and
# nothing more, on 127.0.0.1:PORT, in the foreground: garbage for the preflight tests. Each
# connection is closed after 5 s; the server itself runs until it is stopped.
# Usage: tests/peers/not_http2/garbage.sh PORT clear WORKDIR
set -eu
exec python3 -c '
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(16)
while True:
    conn, _ = server.accept()
    conn.settimeout(5)
    try:
        conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
        conn.recv(4096)
    except OSError:
        pass
    conn.close()
' "$1"
