#!/usr/bin/env python3
"""Checks that runner/engine's folders depend on each other one way only.

Usage: scripts/check-engine-layers.py [SOURCE_DIR]

The folders, lowest first: model, case, message, connection, verdict, script, run. A file may include
headers of its own folder and of folders below it, never above; only tests and engine.h (the
facade) may include engine.h; model/ includes nothing of wire/, hpack/ or transport/ (reports/
links it alone). Prints each broken rule as FILE:LINE and exits 1; exits 0 when none is broken.
"""
import os
import re
import sys

LAYERS = ["model", "case", "message", "connection", "verdict", "script", "run"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"runner/([a-z_]+)/?([a-z_]*)/?([A-Za-z0-9_./]*)"')


def is_test(name):
    return name.endswith("_test.cc") or name.endswith("_test_util.h")


def check(root):
    engine = os.path.join(root, "runner", "engine")
    problems = []
    for layer in LAYERS:
        folder = os.path.join(engine, layer)
        if not os.path.isdir(folder):
            problems.append(f"{folder}: missing")
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".h", ".cc")) or is_test(name):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    module, sub, rest = m.groups()
                    where = f"{os.path.relpath(path, root)}:{number}"
                    if module == "engine" and sub == "engine.h" or (module == "engine" and sub == "" and rest == "engine.h"):
                        problems.append(f"{where}: includes the facade engine.h; include the header it needs")
                    elif module == "engine" and sub in LAYERS and LAYERS.index(sub) > LAYERS.index(layer):
                        problems.append(f"{where}: {layer}/ includes {sub}/{rest}, a folder above it")
                    elif layer == "model" and module in ("wire", "hpack", "transport"):
                        problems.append(f"{where}: model/ includes runner/{module}/ (reports/ must link model/ alone)")
    for name in sorted(os.listdir(engine)):
        if name.endswith((".h", ".cc")) and name != "engine.h":
            problems.append(f"runner/engine/{name}: a file outside the layer folders")
    return problems


def main(argv):
    root = argv[0] if argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    problems = check(root)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
