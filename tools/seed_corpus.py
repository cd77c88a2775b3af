#!/usr/bin/env python3
"""Seed the frame fuzz corpora from the http2-frame-test-case vectors.

Usage: tools/seed_corpus.py [SOURCE_DIR]

Reads SOURCE_DIR/tests/vectors/http2-frame-test-case (SOURCE_DIR defaults to the repository this
script is in) and writes each vector's `wire` octets, a few extra frames the vectors lack, and one stream of all
normal vectors concatenated into fuzzers/corpus/frame_decoder/ and
fuzzers/corpus/frame_roundtrip/, each file named by the SHA-256 of its content. Existing files
are kept; running it twice changes nothing.
"""
import hashlib
import json
import pathlib
import sys

TARGETS = ("frame_decoder", "frame_roundtrip")

# Frames the public vectors do not cover (hex, RFC 9113 section 6 and RFC 9218 section 7.1).
EXTRA_FRAMES = [
    "000000040100000000",                      # SETTINGS ACK
    "00000A012C000000010280000003FF61620000",  # HEADERS with PRIORITY and PADDED
    "000009100000000000" "00000001753D332C69",  # PRIORITY_UPDATE u=3,i
    "000002FAFF00000000ABCD",                  # unknown type
    "00000408000000000100000000",              # WINDOW_UPDATE increment 0
    "0000080601000000000102030405060708",      # PING ACK
    "000000000080000001",                      # DATA with the reserved bit set
    "004001000000000001",                      # length above the default limit
]


def write_seed(corpus: pathlib.Path, data: bytes) -> bool:
    path = corpus / hashlib.sha256(data).hexdigest()
    if path.exists():
        return False
    path.write_bytes(data)
    return True


def main() -> int:
    if len(sys.argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 64
    source = pathlib.Path(sys.argv[1]) if len(sys.argv) == 2 else pathlib.Path(__file__).resolve().parents[1]
    vector_dir = source / "tests" / "vectors" / "http2-frame-test-case"
    seeds, stream = [], b""
    for path in sorted(vector_dir.rglob("*.json")):
        doc = json.loads(path.read_text())
        wire = bytes.fromhex(doc["wire"])
        seeds.append(wire)
        if doc.get("error") is None:
            stream += wire
    if not seeds:
        print(f"no vectors under {vector_dir}", file=sys.stderr)
        return 1
    seeds += [bytes.fromhex(h) for h in EXTRA_FRAMES] + [stream]
    for target in TARGETS:
        corpus = source / "fuzzers" / "corpus" / target
        corpus.mkdir(parents=True, exist_ok=True)
        added = sum(write_seed(corpus, s) for s in seeds)
        print(f"{target}: {added} new seeds, {len(list(corpus.iterdir()))} in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
