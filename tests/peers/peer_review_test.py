#!/usr/bin/env python3
"""Every recorded fail and non_strict verdict of a real server or client is a reviewed claim.

Usage: peer_review_test.py SOURCE_DIR

Two kinds of peers have recorded verdicts, each kind with its own folder of reviews:
  server  peers/expected/NAME-MODE.tsv          reviewed in peers/reviews/NAME.md
  client  peers/expected/clients/NAME-MODE.tsv  reviewed in peers/reviews/clients/NAME.md
(MODE is clear or tls.) For every peer, the review must hold, for each case the peer fails or
passes only non-strictly in either mode (cases listed `unstable` aside), a bullet that names the
case (in backticks; `{a,b}` alternatives are expanded), cites at least one requirement row of
specs/ (`9113-8.1.1-2`) and quotes that row's sentence, or a part of it of 12 characters or
more, in double quotes, with what the peer did. A bullet naming a case the peer no longer fails
(nor fails at times: `unstable`) is stale and fails the test too, so the reviews stay true as
verdicts change; so does a review file of a peer with no recorded verdicts. Bullets under a
`## Judged false` heading name recorded verdicts the review found false: they need no quote,
are counted apart as open defects, and go stale the same way once the verdict changes.
Prints one line per peer (`server h2o: 29 reviewed cases`), and under a peer with problems one
line per problem. Exit 0 when every claim is covered, 1 otherwise.
"""
import glob
import os
import re
import sys

REQUIREMENT = re.compile(r"\b(?:9113|7541|9218)-[0-9A-Z][0-9A-Za-z.]*-[0-9]+\b")
CASE_ID = re.compile(r"`((?:rfc\d+|generic)/[^`\s]+)`")
QUOTE = re.compile(r"\"([^\"]{12,})\"")
# Bullets under a heading that starts so name recorded verdicts the review found false (the
# peer broke no sentence, or the case or recipe is at fault): they need no quote, are printed as
# open defects, and go stale like the others once the verdict changes.
FALSE_HEADING = "Judged false"
MODE_FILE = re.compile(r"^(.+)-(clear|tls)\.tsv$")

# kind -> (folder of recorded verdicts, folder of reviews), relative to SOURCE_DIR.
KINDS = {
    "server": (os.path.join("peers", "expected"), os.path.join("peers", "reviews")),
    "client": (os.path.join("peers", "expected", "clients"), os.path.join("peers", "reviews", "clients")),
}


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


def peer_names(folder):
    """Names of the peers with a NAME-clear.tsv or NAME-tls.tsv in folder (not below it)."""
    names = set()
    for path in glob.glob(os.path.join(folder, "*.tsv")):
        m = MODE_FILE.match(os.path.basename(path))
        if m:
            names.add(m.group(1))
    return sorted(names)


def read_claims(folder, name):
    """The cases recorded as fail or non_strict against peer NAME, in any mode, and those
    recorded `unstable` (a bullet may keep naming one: it still fails at times)."""
    claims, unstable = {}, set()
    for mode in ("clear", "tls"):
        path = os.path.join(folder, f"{name}-{mode}.tsv")
        if not os.path.exists(path):
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
    """Top-level Markdown bullets with their continuation lines, each with the `## ` heading
    it sits under ("" before the first)."""
    out, current, heading = [], None, ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        if line.startswith("- "):
            if current is not None:
                out.append((heading, current))
            current = line[2:]
        elif current is not None and line.startswith("  ") and line.strip():
            current += " " + line.strip()
        else:
            if current is not None:
                out.append((heading, current))
            current = None
    if current is not None:
        out.append((heading, current))
    return out


def check_review(path, kind, claims, unstable, rows):
    """Problems of one review file against the peer's recorded claims, and the number of
    bullets that name cases."""
    problems, covered, count, judged_false = [], set(), 0, set()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for heading, b in bullets(text):
        ids = [i for m in CASE_ID.findall(b) for i in expand(m)]
        if not ids:
            continue
        if heading.startswith(FALSE_HEADING):
            # A recorded verdict the review found false: a defect of ours, open until fixed.
            for i in ids:
                if i not in claims and i not in unstable:
                    problems.append(f"{i}: judged false, but the {kind} no longer fails it (stale: the fix landed)")
                covered.add(i)
                judged_false.add(i)
            continue
        count += 1
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
                problems.append(f"{i}: reviewed, but the {kind} no longer fails it (stale)")
            covered.add(i)
    for i in sorted(set(claims) - covered):
        problems.append(f"{i}: {', '.join(claims[i])} without a reviewed RFC sentence")
    return problems, count, judged_false


def check_kind(source, kind, rows):
    """Checks every peer of one kind; prints a line per peer. True when all are covered."""
    expected_dir, reviews_dir = (os.path.join(source, d) for d in KINDS[kind])
    ok = True
    names = peer_names(expected_dir)
    for name in names:
        claims, unstable = read_claims(expected_dir, name)
        review = os.path.join(KINDS[kind][1], f"{name}.md")
        path = os.path.join(source, review)
        if not os.path.exists(path):
            print(f"{kind} {name}: {len(claims)} cases fail or pass non-strictly, and {review} is missing")
            ok = False
            continue
        problems, count, judged_false = check_review(path, kind, claims, unstable, rows)
        if problems:
            ok = False
            print(f"{kind} {name}: {len(problems)} problems in {review}")
            print("\n".join("  " + p for p in problems))
        else:
            false_note = (f"; {len(judged_false)} recorded verdicts judged false, listed under "
                          f"\"{FALSE_HEADING}\" until fixed" if judged_false else "")
            print(f"{kind} {name}: {len(claims) - len(judged_false & set(claims))} reviewed cases in {count} "
                  f"bullets{false_note}")
    for path in sorted(glob.glob(os.path.join(reviews_dir, "*.md"))):
        name = os.path.basename(path)[:-len(".md")]
        if name not in names:
            print(f"{kind} {name}: {os.path.join(KINDS[kind][1], name + '.md')} reviews a {kind} "
                  f"with no recorded verdicts in {KINDS[kind][0]}")
            ok = False
    return ok


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 64
    source = argv[0]
    rows = read_requirements(source)
    if not rows:
        print("no requirement rows under specs/", file=sys.stderr)
        return 1
    ok = True
    for kind in KINDS:
        ok = check_kind(source, kind, rows) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
