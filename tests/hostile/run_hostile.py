#!/usr/bin/env python3
"""Runs the whole catalogue against one mode of hostile_server and checks the bounds.

Usage: run_hostile.py H2CONFORM HOSTILE_SERVER MODE [--tls] [--parallel N] [--timeout S]
                      [--rss-limit-mib N] [--time-factor F] [--client HOSTILE_CLIENT]

With --client, the client catalogue runs instead (`h2conform client`), and h2conform launches
HOSTILE_CLIENT MODE {url} once per case; the same bounds hold.

The run must end with a verdict for every selected case (or, for a target that never speaks
HTTP/2, one line and exit 2), within ceil(cases / parallel) * timeout + 15 s, with a peak
resident set under 64 MiB (--rss-limit-mib; the ASan build passes a larger bound, since shadow
memory and the quarantine of freed blocks count in the figure, and a time bound multiplied by
--time-factor, since the instrumented code runs several times slower) and no crash. Prints one line of figures; exits 1 when a bound is
broken, 2 when the harness itself cannot run.
"""
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

RSS_LIMIT_MIB = 64
SLACK_S = 15


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    h2conform, server, mode = argv[:3]
    rest = argv[3:]
    tls = "--tls" in rest
    parallel = int(rest[rest.index("--parallel") + 1]) if "--parallel" in rest else 4
    timeout = float(rest[rest.index("--timeout") + 1]) if "--timeout" in rest else 1.0
    rss_limit_mib = int(rest[rest.index("--rss-limit-mib") + 1]) if "--rss-limit-mib" in rest else RSS_LIMIT_MIB
    time_factor = float(rest[rest.index("--time-factor") + 1]) if "--time-factor" in rest else 1.0

    hostile_client = rest[rest.index("--client") + 1] if "--client" in rest else None
    if hostile_client:
        return run_client_mode(h2conform, hostile_client, mode, tls, parallel, timeout, rss_limit_mib, time_factor)

    listed = subprocess.run([h2conform, "list", "-S"], capture_output=True, text=True, timeout=60)
    if listed.returncode != 0:
        print(f"cannot list the catalogue: {listed.stderr.strip()}", file=sys.stderr)
        return 2
    cases = len([line for line in listed.stdout.splitlines() if line.strip()])
    bound_s = (math.ceil(cases / parallel) * timeout + SLACK_S) * time_factor

    with tempfile.TemporaryDirectory() as work:
        port_file = os.path.join(work, "port")
        server_args = [server, mode, "--port-file", port_file] + (["--tls"] if tls else [])
        srv = subprocess.Popen(server_args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(port_file):
                if srv.poll() is not None or time.monotonic() > deadline:
                    print(f"hostile_server {mode} did not start", file=sys.stderr)
                    return 2
                time.sleep(0.02)
            with open(port_file) as f:
                port = f.read().strip()
            report = os.path.join(work, "results.json")
            args = [h2conform, "-h", "127.0.0.1", "-p", port, "-S", "-o", str(timeout),
                    "--parallel", str(parallel), "--json-report", report, "--color", "never"]
            if tls:
                args += ["-t", "-k"]
            code, rss_kib, elapsed, err = wait_bounded(args, bound_s, mode, work)
            # The hostile server outlives the run: one that died (a write to a closed peer
            # once killed it) turns the rest of the catalogue into target_down and tests nothing.
            died = srv.poll()
        finally:
            srv.stdin.close()
            try:
                srv.wait(timeout=40)
            except subprocess.TimeoutExpired:
                srv.kill()
                srv.wait()
        if code < 0:
            fail(f"{mode}: h2conform died of signal {-code}\n{err[-2000:]}")
        if died is not None:
            fail(f"{mode}: hostile_server exited ({died}) during the run")
        # Exit 0 or 1: every case has a verdict. Exit 2: either the same (some cases ended as
        # errors, e.g. cut short by a bound) or a target that never spoke HTTP/2, which gets one
        # line on stderr and no cases.
        verdicts = None
        if code not in (0, 1, 2):
            fail(f"{mode}: exit {code}\n{err[-2000:]}")
        try:
            with open(report) as f:
                results = json.load(f)
            verdicts = len(results["cases"])
        except (OSError, ValueError, KeyError) as e:
            if code != 2:
                fail(f"{mode}: exit {code} but no readable results: {e}")
            results = None
        if results is not None and (verdicts != cases and not results.get("harness_error")):
            fail(f"{mode}: {verdicts} verdicts for {cases} cases")
        if results is None or results.get("harness_error"):
            lines = [line for line in err.splitlines() if line.strip()]
            if code != 2 or len(lines) != 1:
                fail(f"{mode}: exit {code} without verdicts and {len(lines)} lines on stderr:\n" +
                     "\n".join(lines[:20]))
        figures = (f"{mode}{' tls' if tls else ''}: exit {code}, "
                   f"{verdicts if verdicts is not None else 0}/{cases} verdicts, "
                   f"{elapsed:.1f} s (bound {bound_s:.0f} s), peak RSS {rss_kib / 1024:.1f} MiB (bound {rss_limit_mib} MiB)")
        print(figures)
        if elapsed > bound_s:
            fail(f"{mode}: {elapsed:.1f} s is over the bound of {bound_s:.0f} s")
        if rss_kib > rss_limit_mib * 1024:
            fail(f"{mode}: peak RSS {rss_kib / 1024:.1f} MiB is over {rss_limit_mib} MiB")
    return 0


def wait_bounded(args, bound_s, mode, work):
    """Runs args, polling wait4 so that the wait ends on the exit or the bound; returns
    (exit code, peak RSS KiB, seconds, stderr). wait4 gives this process's own peak RSS (not
    the target's)."""
    start = time.monotonic()
    with open(os.path.join(work, "out"), "w+") as out_f, open(os.path.join(work, "err"), "w+") as err_f:
        run = subprocess.Popen(args, stdout=out_f, stderr=err_f)
        status, usage = None, None
        while status is None:
            pid, st, ru = os.wait4(run.pid, os.WNOHANG)
            if pid == run.pid:
                status, usage = st, ru
            elif time.monotonic() - start > bound_s + 30:
                run.kill()
                os.wait4(run.pid, 0)
                fail(f"{mode}: still running after {bound_s + 30:.0f} s (bound {bound_s:.0f} s)")
            else:
                time.sleep(0.05)
        elapsed = time.monotonic() - start
        err_f.seek(0)
        return os.waitstatus_to_exitcode(status), usage.ru_maxrss, elapsed, err_f.read()


def run_client_mode(h2conform, hostile_client, mode, tls, parallel, timeout, rss_limit_mib, time_factor):
    """The client catalogue with hostile_client as the client under test, once per case."""
    base = [h2conform, "client", "-S"] + (["-t"] if tls else [])
    listed = subprocess.run(base + ["--dryrun"], capture_output=True, text=True, timeout=60)
    selected = [line for line in listed.stdout.splitlines() if line.endswith(" cases selected")]
    if listed.returncode != 0 or not selected:
        print(f"cannot list the client catalogue: {listed.stderr.strip()}", file=sys.stderr)
        return 2
    cases = int(selected[-1].split()[0])
    # A client that never connects costs its case the connect timeout, not -o: the bound uses
    # the larger of the two (--connect-timeout is set to the case timeout here).
    bound_s = (math.ceil(cases / parallel) * timeout + SLACK_S) * time_factor
    with tempfile.TemporaryDirectory() as work:
        report = os.path.join(work, "results.json")
        args = base + ["-o", str(timeout), "--connect-timeout", str(timeout), "--parallel", str(parallel),
                       "--exec", f"{hostile_client} {mode} {{url}}", "--json-report", report, "--color", "never"]
        code, rss_kib, elapsed, err = wait_bounded(args, bound_s, mode, work)
        if code < 0:
            fail(f"client {mode}: h2conform died of signal {-code}\n{err[-2000:]}")
        if code not in (0, 1, 2):
            fail(f"client {mode}: exit {code}\n{err[-2000:]}")
        try:
            with open(report) as f:
                verdicts = len(json.load(f)["cases"])
        except (OSError, ValueError, KeyError) as e:
            fail(f"client {mode}: exit {code} but no readable results: {e}")
        if verdicts != cases:
            fail(f"client {mode}: {verdicts} verdicts for {cases} cases")
    print(f"client {mode}{' tls' if tls else ''}: exit {code}, {verdicts}/{cases} verdicts, {elapsed:.1f} s "
          f"(bound {bound_s:.0f} s), peak RSS {rss_kib / 1024:.1f} MiB (bound {rss_limit_mib} MiB)")
    if elapsed > bound_s:
        fail(f"client {mode}: {elapsed:.1f} s is over the bound of {bound_s:.0f} s")
    if rss_kib > rss_limit_mib * 1024:
        fail(f"client {mode}: peak RSS {rss_kib / 1024:.1f} MiB is over {rss_limit_mib} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
