#!/usr/bin/env python3
"""Every recorded fail and non_strict verdict of a real server is a reviewed claim.

Usage: server_review_test.py SOURCE_DIR

For every recipe with recorded verdicts (peers/expected/NAME-MODE.tsv), peers/reviews/NAME.md
must hold, for each case the server fails or passes only non-strictly (cases listed `unstable`
aside), a bullet that names the case (in backticks; `{a,b}` alternatives are expanded), cites
at least one requirement row of specs/ (`9113-8.1.1-2`) and quotes that row's sentence, or a
part of it, in double quotes, with what the server did. A bullet naming a case the server no
longer fails (nor fails at times: `unstable`) is stale and fails the test too, so the reviews
stay true as verdicts change.
Exit 0 when every claim is covered, 1 otherwise.
"""
import glob
import os
import re
import sys

REQUIREMENT = re.compile(r"\b(?:9113|7541|9218)-[0-9A-Z][0-9A-Za-z.]*-[0-9]+\b")
CASE_ID = re.compile(r"`((?:rfc\d+|generic)/[^`\s]+)`")
QUOTE = re.compile(r"\"([^\"]{12,})\"")


def normalise(text):
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').split())


def expand(pattern):
    """`a/{b,c}/d` -> [a/b/d, a/c/d]; nested alternatives are expanded left to right."""
    m = re.search(r"\{([^{}]*)\}", pattern)
    if not m:
        return [pattern]
    out = []
    for alt in m.group(1).split(","):
        out += expand(pattern[:m.start()] + alt + pattern[m.end():])
    return out


def read_requirements(source):
    rows = {}
    for path in glob.glob(os.path.join(source, "specs", "requirements-*.tsv")):
        with open(path, encoding="utf-8") as f:
            next(f)
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 4:
                    rows[parts[0]] = normalise(parts[3])
    return rows


def read_claims(source, name):
    """The cases recorded as fail or non_strict against recipe NAME, in any mode, and those
    recorded `unstable` (a bullet may keep naming one: it still fails at times)."""
    claims, unstable = {}, set()
    for path in sorted(glob.glob(os.path.join(source, "peers", "expected", f"{name}-*.tsv"))):
        mode = os.path.basename(path)[len(name) + 1:-len(".tsv")]
        if mode not in ("clear", "tls"):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and parts[1] in ("fail", "non_strict"):
                    claims.setdefault(parts[0], []).append(f"{parts[1]} ({mode})")
                elif len(parts) >= 2 and parts[1] == "unstable":
                    unstable.add(parts[0])
    return claims, unstable


def bullets(text):
    """Top-level Markdown bullets with their continuation lines."""
    out, current = [], None
    for line in text.splitlines():
        if line.startswith("- "):
            if current is not None:
                out.append(current)
            current = line[2:]
        elif current is not None and line.startswith("  ") and line.strip():
            current += " " + line.strip()
        else:
            if current is not None:
                out.append(current)
            current = None
    if current is not None:
        out.append(current)
    return out


def check_review(path, claims, unstable, rows):
    """Problems of one review file against the server's recorded claims."""
    problems, covered = [], set()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for b in bullets(text):
        ids = [i for m in CASE_ID.findall(b) for i in expand(m)]
        if not ids:
            continue
        cited = [r for r in REQUIREMENT.findall(b) if r in rows]
        unknown = [r for r in REQUIREMENT.findall(b) if r not in rows]
        quotes = [normalise(q) for q in QUOTE.findall(normalise(b))]
        label = ids[0] + (f" (and {len(ids) - 1} more)" if len(ids) > 1 else "")
        if unknown:
            problems.append(f"{label}: no such requirement row: {' '.join(unknown)}")
        if not cited:
            problems.append(f"{label}: cites no requirement row of specs/")
            continue
        if not any(q in rows[r] for q in quotes for r in cited):
            problems.append(f"{label}: quotes none of the sentences it cites ({' '.join(cited)})")
            continue
        for i in ids:
            if i not in claims and i not in unstable:
                problems.append(f"{i}: reviewed, but the server no longer fails it (stale)")
            covered.add(i)
    for i in sorted(set(claims) - covered):
        problems.append(f"{i}: {', '.join(claims[i])} without a reviewed RFC sentence")
    return problems


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 64
    source = argv[0]
    rows = read_requirements(source)
    if not rows:
        print("no requirement rows under specs/", file=sys.stderr)
        return 1
    names = sorted({re.sub(r"-(clear|tls)\.tsv$", "", os.path.basename(p))
                    for p in glob.glob(os.path.join(source, "peers", "expected", "*-*.tsv"))})
    failed = False
    for name in names:
        claims, unstable = read_claims(source, name)
        path = os.path.join(source, "peers", "reviews", f"{name}.md")
        if not os.path.exists(path):
            print(f"{name}: {len(claims)} cases fail or pass non-strictly, and peers/reviews/{name}.md is missing")
            failed = True
            continue
        problems = check_review(path, claims, unstable, rows)
        if problems:
            failed = True
            print(f"{name}: {len(problems)} problems in peers/reviews/{name}.md")
            print("\n".join("  " + p for p in problems))
        else:
            print(f"{name}: {len(claims)} reviewed cases")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
