#!/usr/bin/env python3
"""Runs the client catalogue (--strict) against one real client and compares the verdicts.

Usage: client_catalogue_test.py H2CONFORM SOURCE_DIR CLIENT MODE

CLIENT is a recipe of peers/clients/ (curl, nghttp, node, go, python-httpx, chromium), MODE
clear or tls. `h2conform client` plays the server on loopback and runs
`peers/clients/CLIENT.sh {url} {ca}` once per case; every verdict must equal the reviewed one in
peers/expected/clients/CLIENT-MODE.tsv, and so must every fail's reason class (the reason with
every number replaced by N, as the server peer tests compare them); a pass, non_strict or skip
reached on other evidence is printed, not counted as a difference. Lines whose verdict is `unstable` are
not compared. H2CONFORM_UPDATE_EXPECTED=1 rewrites the file from this run (keeping unstable
lines) instead. Exit 0 on a match, 1 on a difference (for a client whose verdicts are not
reviewed yet, only with H2CONFORM_PEERS_STRICT=1) or a case in error, 77 when the client is not installed or
cannot do MODE (the test is then skipped).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77
# Clients whose verdicts are stable and whose every fail has been checked against the RFC text:
# a difference fails the test. Against the others, differences are printed and fail only with
# H2CONFORM_PEERS_STRICT=1 (a case ending in error always fails). curl's fails are checked, but
# its exit status after it reset a malformed response's stream itself is 0 or 92 by timing (seen
# on three cases), so its malformed-response verdicts vary: it is not listed yet. Go's verdicts
# still race its close against its GOAWAY, and httpx has had too few runs (peers/clients/README.md).
REVIEWED = {"nghttp", "node"}
# Chromium starts a browser per case (about 2.5 s each): it runs a documented subset, the
# response semantics of RFC 9113 §8.1-8.3 and the frame format rules of §4.1 (29 cases).
SUBSETS = {"chromium": ["rfc9113/8.1", "rfc9113/8.2", "rfc9113/8.3", "rfc9113/4.1"]}
# Flags per client: a browser start can take more than 10 s on a loaded machine, so Chromium
# runs one case at a time with 30 s to connect.
FLAGS = {"chromium": ["--parallel", "1", "--connect-timeout", "30"]}
DEFAULT_FLAGS = ["--parallel", "4"]
# What each recipe needs on PATH, and the modes it can do.
CLIENTS = {
    "curl": (["curl"], {"clear", "tls"}),
    "nghttp": (["nghttp"], {"clear", "tls"}),
    "node": (["node"], {"clear", "tls"}),
    "go": (["go"], {"clear", "tls"}),
    "python-httpx": (["/usr/bin/python3"], {"clear", "tls"}),
    "chromium": (["chromium", "node"], {"tls"}),
}


def reason_class(reason: str) -> str:
    s = re.sub(r"\bpeer (FIN|RST)\b", "peer close", reason)
    s = re.sub(r"\b(0x[0-9a-fA-F]+|[0-9]+)\b", "N", s)
    return s.replace("\t", " ").replace("\n", " ")


def read_expected(path):
    version, rows = "", {}
    if not os.path.exists(path):
        return version, rows
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# version: "):
                version = line[len("# version: "):]
            elif line and not line.startswith("#"):
                case_id, rest = line.split("\t", 1)
                rows[case_id] = rest
    return version, rows


def write_expected(path, version, cases, previous):
    with open(path, "w") as f:
        f.write("# Reviewed verdicts of the client catalogue (--strict) against this client.\n")
        f.write(f"# version: {version}\n")
        for c in cases:
            old = previous.get(c["id"], "")
            if old.startswith("unstable\t"):
                f.write(f"{c['id']}\t{old}\n")
            else:
                f.write(f"{c['id']}\t{c['verdict']}\t{reason_class(c['reason'])}\n")


def available(program):
    if os.path.isabs(program):
        return os.access(program, os.X_OK)
    return any(os.access(os.path.join(d, program), os.X_OK) for d in os.environ.get("PATH", "").split(":") if d)


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 64
    h2conform, source, client, mode = argv
    if client not in CLIENTS:
        print(f"unknown client {client}", file=sys.stderr)
        return 64
    needs, modes = CLIENTS[client]
    if mode not in modes:
        print(f"{client} cannot run over {mode}: skipped")
        return SKIP
    missing = [p for p in needs if not available(p)]
    if missing:
        print(f"{' '.join(missing)} not installed: skipped")
        return SKIP
    recipe = os.path.join(source, "peers", "clients", f"{client}.sh")
    if client == "chromium" and not os.path.isdir(os.path.join(source, "tests", "browser", "node_modules", "playwright-core")):
        print("playwright-core is not installed (npm ci --prefix tests/browser): skipped")
        return SKIP
    version = subprocess.run([recipe, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    expected_file = os.path.join(source, "peers", "expected", "clients", f"{client}-{mode}.tsv")
    with tempfile.TemporaryDirectory() as work:
        report = os.path.join(work, "results.json")
        args = [h2conform, "client", "-S", *FLAGS.get(client, DEFAULT_FLAGS), "--color", "never",
                *SUBSETS.get(client, []),
                "--cases", os.path.join(source, "cases"),
                "--exec", f"{recipe} {{url}} {{ca}}", "--json-report", report]
        if mode == "tls":
            args.append("-t")
        env = dict(os.environ, H2CONFORM_CLIENT_CACHE=os.path.join(work, "cache"))
        # One run against a closed port first: a recipe that builds its client on first use
        # (go) does it once here, not in every case's first seconds.
        subprocess.run([recipe, "http://127.0.0.1:1/"], capture_output=True, timeout=300, env=env)
        run = subprocess.run(args, capture_output=True, text=True, timeout=900, env=env)
        cases = None
        if os.path.exists(report):
            with open(report) as f:
                cases = json.load(f)["cases"]
        # A case in error is harness trouble, not a verdict (the client could not start, or never
        # connected: a browser on a loaded machine). Those cases run once more, alone; an error
        # then still fails the test.
        errors = [c["id"] for c in cases or [] if c["verdict"] == "error"]
        if run.returncode == 2 and errors and len(errors) <= 3:
            print("retrying the cases in error once: " + " ".join(errors))
            for c in cases:
                if c["verdict"] == "error":
                    print(f"  {c['id']}: {c['reason']}")
            retry_report = os.path.join(work, "retry.json")
            selection = [a for a in args if a not in SUBSETS.get(client, [])]
            selection[selection.index(report)] = retry_report
            run = subprocess.run([*selection, *errors], capture_output=True, text=True, timeout=900, env=env)
            if os.path.exists(retry_report):
                with open(retry_report) as f:
                    again = {c["id"]: c for c in json.load(f)["cases"]}
                cases = [again.get(c["id"], c) if c["id"] in errors else c for c in cases]
        if run.returncode not in (0, 1) or cases is None:
            print(f"h2conform client exited {run.returncode}")
            print(run.stdout[-6000:])
            print(run.stderr[-3000:])
            return 1
    counts = {}
    for c in cases:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    print(f"{client} {mode} ({version}): " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
    old_version, expected = read_expected(expected_file)
    if os.environ.get("H2CONFORM_UPDATE_EXPECTED") == "1":
        os.makedirs(os.path.dirname(expected_file), exist_ok=True)
        write_expected(expected_file, version, cases, expected)
        print(f"wrote {expected_file}")
        return 0
    if not expected:
        print(f"no reviewed verdicts in {expected_file}")
        return 1
    problems, hard, notes = [], [], []
    if old_version != version:
        problems.append(f"the client's version changed ({old_version} -> {version}): review its verdicts")
    errors = [c["id"] for c in cases if c["verdict"] == "error"]
    if errors:
        hard.append("cases ended in error: " + " ".join(errors[:10]))
    for c in cases:
        old = expected.pop(c["id"], None)
        if old is not None and old.startswith("unstable\t"):
            continue
        now = f"{c['verdict']}\t{reason_class(c['reason'])}"
        if old is None:
            problems.append(f"new case {c['id']}: {now}")
        elif old != now:
            # A fail is a claim, so its reason must stay the one reviewed; a pass, non_strict or
            # skip may rest on other evidence from run to run (a client that answers our PING in
            # one run leaves with a GOAWAY in the next): only its verdict is compared.
            same_verdict = old.split("\t", 1)[0] == c["verdict"]
            (notes if same_verdict and c["verdict"] != "fail" else problems).append(f"{c['id']}: {old}\n    -> {now}")
    problems += [f"case gone: {case_id} (was {old})" for case_id, old in expected.items()]
    strict = client in REVIEWED or os.environ.get("H2CONFORM_PEERS_STRICT") == "1"
    if problems:
        print(f"{len(problems)} differences against {client} {mode}"
              f"{'' if strict else ' (verdicts not reviewed yet: reported, not failed)'}:")
        print("\n".join("  " + p for p in problems))
        print("review them, then rerun with H2CONFORM_UPDATE_EXPECTED=1")
    if notes:
        print(f"{len(notes)} verdicts reached on other evidence (not differences):")
        print("\n".join("  " + n for n in notes))
    if hard:
        print("\n".join(hard))
    return 1 if hard or (problems and strict) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
