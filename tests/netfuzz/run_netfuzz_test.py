#!/usr/bin/env python3
"""`h2conform fuzz` against fragile_server, whose planted bug is an abort on a PING carrying the
unused flag 0x8 after a HEADERS frame on the same connection.

Usage: run_netfuzz_test.py H2CONFORM FRAGILE_SERVER

Checks, each bounded in time:
1. Detection, reproduction, minimization: with --target-cmd, the fuzzer finds the bug, replays
   it on a restarted server, and minimizes it to the two frames the bug needs.
2. Determinism: the same seed finds the same finding, byte for byte, on the same port (the
   seeds' requests carry the target's authority).
3. Replay: the finding, run as a case (`h2conform --cases DIR`), is target_down (exit 2) against
   the fragile server and passes (exit 0) against the fixed one.
4. Without --target-cmd: the finding is written as found (not replayed) and the run ends.
5. No false finding: against the fixed server the run ends on time with none, and
   --max-connections ends it too.
All servers are started here, on loopback, and stopped by PID.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

MAGIC = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
FUZZ_LIMIT_S = 120


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def frames_of(data):
    out = []
    pos = 0
    while len(data) - pos >= 9:
        length = int.from_bytes(data[pos:pos + 3], "big")
        out.append((data[pos + 3], data[pos + 4], length))
        pos += 9 + length
    return out


def finding_frames(path):
    with open(path) as f:
        case = json.load(f)["cases"][0]
    raw = bytes.fromhex(case["steps"][0]["send_raw"]["hex"])
    assert raw.startswith(MAGIC), "a finding starts with the client preface"
    assert "target_answers" in case["steps"][1], "a finding ends with target_answers"
    return frames_of(raw[len(MAGIC):])


class Server:
    """fragile_server on a port of its own choosing, stopped by PID."""

    def __init__(self, binary, work, fixed=False):
        port_file = os.path.join(work, f"port-{time.monotonic_ns()}")
        args = [binary, "--port-file", port_file, "--max-seconds", "150"] + (["--fixed"] if fixed else [])
        self.proc = subprocess.Popen(args)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("fragile_server did not start")
            time.sleep(0.01)  # polling the port file the server writes once it listens
        with open(port_file) as f:
            self.port = int(f.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


def run(args, limit=FUZZ_LIMIT_S):
    r = subprocess.run(args, capture_output=True, text=True, timeout=limit)
    return r.returncode, r.stdout + r.stderr


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 64
    h2conform, fragile = argv
    failures = []

    def check(cond, what, output=""):
        if not cond:
            failures.append(what + ("\n" + output if output else ""))
            print("FAIL:", what)
        else:
            print("ok:", what)

    with tempfile.TemporaryDirectory() as work:
        # 1. Detection, reproduction and minimization with --target-cmd.
        found = {}
        port = free_port()  # one port: the seeds' :authority holds it
        for name in ("a", "b"):
            findings = os.path.join(work, "findings-" + name)
            start = time.monotonic()
            rc, out = run([h2conform, "fuzz", "-p", str(port), "--seed", "1", "--duration", "60", "-o", "0.5",
                           "--findings", findings,
                           "--target-cmd", f"{fragile} --port {{port}} --max-seconds 150"])
            files = sorted(os.listdir(findings)) if os.path.isdir(findings) else []
            print(out)
            print(f"run {name}: exit {rc} in {time.monotonic() - start:.1f} s, findings {files}")
            check(rc == 1 and len(files) == 1, f"run {name}: one finding, exit 1", out)
            if len(files) != 1:
                continue
            check("reproduced; minimized from" in out, f"run {name}: reproduced and minimized", out)
            path = os.path.join(findings, files[0])
            frames = finding_frames(path)
            check(len(frames) == 2 and frames[0][0] == 0x1 and frames[1][0] == 0x6 and frames[1][1] & 0x8,
                  f"run {name}: minimized to HEADERS, then PING with flag 0x8: {frames}")
            with open(path, "rb") as f:
                found[name] = (files[0], f.read())
        # 2. Determinism.
        check(len(found) == 2 and found["a"] == found["b"], "the same seed gives the same finding")

        if "a" in found:
            findings = os.path.join(work, "findings-a")
            # 3. Replay as a case.
            server = Server(fragile, work)
            try:
                rc, out = run([h2conform, "--cases", findings, "-p", str(server.port), "-o", "1",
                               "--json-report", os.path.join(work, "replay.json")], 60)
                with open(os.path.join(work, "replay.json")) as f:
                    verdicts = [c["verdict"] for c in json.load(f)["cases"]]
                check(rc == 2 and verdicts == ["target_down"], f"replay on the fragile server: target_down, exit 2 "
                      f"(got {rc}, {verdicts})", out)
                check(server.proc.wait(timeout=10) is not None, "the replay brought the fragile server down")
            finally:
                server.stop()
            server = Server(fragile, work, fixed=True)
            try:
                rc, out = run([h2conform, "--cases", findings, "-p", str(server.port), "-o", "1"], 60)
                check(rc == 0 and "1 pass" in out, "replay on the fixed server passes, exit 0", out)
            finally:
                server.stop()

        # 4. Without --target-cmd: written as found, the run ends with the target down.
        server = Server(fragile, work)
        try:
            findings = os.path.join(work, "findings-plain")
            rc, out = run([h2conform, "fuzz", "-p", str(server.port), "--seed", "1", "--duration", "60", "-o", "0.5",
                           "--findings", findings])
            files = os.listdir(findings) if os.path.isdir(findings) else []
            check(rc == 1 and len(files) == 1 and "not replayed" in out and "ended: the target is down" in out,
                  "without --target-cmd: one finding, not replayed, the run ends", out)
        finally:
            server.stop()

        # 5. No false finding against the fixed server; the run ends on its duration.
        server = Server(fragile, work, fixed=True)
        try:
            findings = os.path.join(work, "findings-fixed")
            start = time.monotonic()
            rc, out = run([h2conform, "fuzz", "-p", str(server.port), "--seed", "1", "--duration", "3", "-o", "0.5",
                           "--findings", findings])
            took = time.monotonic() - start
            check(rc == 0 and "0 findings; ended: time" in out and not os.listdir(findings),
                  f"the fixed server: no finding, ended on time ({took:.1f} s)", out)
            check(server.proc.poll() is None, "the fixed server is still up")
            rc, out = run([h2conform, "fuzz", "-p", str(server.port), "--seed", "1", "--duration", "60", "-o", "0.5",
                           "--max-connections", "20", "--findings", findings])
            check(rc == 0 and "ran 10 sequences" in out and "20 connections" in out and "ended: connections" in out,
                  "--max-connections 20: ten sequences of two connections, then the run ends", out)
        finally:
            server.stop()

    if failures:
        print(f"{len(failures)} checks failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
