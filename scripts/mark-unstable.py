#!/usr/bin/env python3
"""Marks cases whose verdict differs between runs against a peer as unstable.

Usage: scripts/mark-unstable.py EXPECTED_DIR ACTUAL_DIR

For every NAME-MODE.tsv in ACTUAL_DIR (a peer test run's verdicts, build/peers-actual), each case
whose verdict (for a fail or non_strict, also its reason class) differs from
EXPECTED_DIR/NAME-MODE.tsv is rewritten there as
"id<TAB>unstable<TAB>verdicts seen" (pass|fail). Run the peer tests a few times, calling this after
each run; the peer tests then report those cases without comparing them. Each such line is a
timing dependence still to be removed from its case.
"""
import pathlib
import sys


def read(path):
    header, rows = [], {}
    for line in path.read_text().splitlines():
        if line.startswith('#') or not line:
            header.append(line)
            continue
        case_id, rest = line.split('\t', 1)
        rows[case_id] = rest
    return header, rows


def comparable(line):
    """A fail or non_strict with its reason; a pass or skip by its verdict alone, as the peer
    test compares them."""
    verdict = line.split('\t')[0]
    return line if verdict in ('fail', 'non_strict') else verdict


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    expected_dir, actual_dir = map(pathlib.Path, sys.argv[1:])
    for actual_file in sorted(actual_dir.glob('*.tsv')):
        expected_file = expected_dir / actual_file.name
        if not expected_file.exists():
            continue
        header, expected = read(expected_file)
        _, actual = read(actual_file)
        marked = 0
        for case_id, now in actual.items():
            before = expected.get(case_id)
            if before is None or comparable(before) == comparable(now):
                continue
            seen = set(before.split('\t')[1].split('|')) if before.startswith('unstable\t') else {before.split('\t')[0]}
            seen.add(now.split('\t')[0])
            if not before.startswith('unstable\t'):
                marked += 1
            expected[case_id] = 'unstable\t' + '|'.join(sorted(seen))
        lines = header + [f'{k}\t{v}' for k, v in expected.items()]
        expected_file.write_text('\n'.join(lines) + '\n')
        if marked:
            print(f'{expected_file.name}: {marked} case(s) marked unstable')


if __name__ == '__main__':
    main()
