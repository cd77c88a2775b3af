#!/usr/bin/env python3
"""Compares two sets of results JSON case by case: verdict and reason class.

Usage: scripts/verdict-diff.py BEFORE AFTER [--verdicts-only]
BEFORE and AFTER are results JSON files or folders of them (matched by file name, as
scripts/peer-results.sh writes them). The reason class is the reason with every number
(ports, milliseconds, sizes, stream ids) replaced by N, so that a refactoring that changes how a
verdict is reached, but not what it says, shows up. Exits 0 when nothing differs, 1 when
something does (each difference on one line), 2 on unreadable input.
"""
import json
import os
import re
import sys

NUMBER = re.compile(r"\b(0x[0-9a-fA-F]+|\d+)\b")
# How a target's TCP connection ended races with our reads (a FIN can arrive as a reset when
# the target closes with unread data): the same verdict either way.
CLOSE_KIND = re.compile(r"\bpeer (FIN|RST)\b")


def reason_class(reason):
    return NUMBER.sub("N", CLOSE_KIND.sub("peer close", reason or ""))


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return {c["id"]: c for c in data["cases"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"verdict-diff: {path}: {e}", file=sys.stderr)
        sys.exit(2)


def pairs(before, after):
    if os.path.isdir(before) != os.path.isdir(after):
        print("verdict-diff: give two files or two folders", file=sys.stderr)
        sys.exit(2)
    if not os.path.isdir(before):
        return [(os.path.basename(after), before, after)]
    names = sorted(n for n in os.listdir(before) if n.endswith(".json"))
    if not names:
        print(f"verdict-diff: no .json files in {before}", file=sys.stderr)
        sys.exit(2)
    return [(n, os.path.join(before, n), os.path.join(after, n)) for n in names]


def compare(name, before, after, verdicts_only):
    if not os.path.exists(after):
        return [f"{name}: missing in the second set"]
    a, b = load(before), load(after)
    diffs = []
    for case_id in sorted(set(a) | set(b)):
        if case_id not in b:
            diffs.append(f"{name}: {case_id}: gone")
        elif case_id not in a:
            diffs.append(f"{name}: {case_id}: new ({b[case_id]['verdict']})")
        elif a[case_id]["verdict"] != b[case_id]["verdict"]:
            diffs.append(f"{name}: {case_id}: {a[case_id]['verdict']} -> {b[case_id]['verdict']}"
                         f" ({b[case_id].get('reason', '')})")
        elif not verdicts_only and reason_class(a[case_id].get("reason")) != reason_class(b[case_id].get("reason")):
            diffs.append(f"{name}: {case_id}: reason {a[case_id].get('reason', '')!r} -> "
                         f"{b[case_id].get('reason', '')!r}")
    return diffs


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    if len(args) != 2 or any(f != "--verdicts-only" for f in flags):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    diffs, total = [], 0
    for name, before, after in pairs(*args):
        found = compare(name, before, after, "--verdicts-only" in flags)
        diffs += found
        total += 1
    for d in diffs:
        print(d)
    sys.stdout.flush()
    print(f"{len(diffs)} difference(s) in {total} result file(s)", file=sys.stderr)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
