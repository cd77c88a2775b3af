#!/usr/bin/env python3
"""Seed the session fuzz corpus: what well-behaved and broken peers send.

Usage: tools/seed_session_corpus.py [SOURCE_DIR]

Writes each seed (the session input layout of fuzzers/session_input.h: a control octet, a split
seed, then the peer's bytes) into SOURCE_DIR/fuzzers/corpus/session/, named by the SHA-256 of
its content. SOURCE_DIR defaults to the repository this script is in. Existing files are kept;
running it twice changes nothing.
"""
from seed_corpus import write_seed  # one way to name a seed: by its SHA-256
import pathlib
import struct
import sys

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1


def frame(ftype: int, flags: int, stream: int, payload: bytes = b"", length: int = -1) -> bytes:
    n = len(payload) if length < 0 else length
    return struct.pack(">I", n)[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def settings(*pairs) -> bytes:
    return frame(4, 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in pairs))


SETTINGS_ACK = frame(4, ACK, 0)
# HPACK (RFC 7541 Appendix A static table): :status 200 is index 8; GET, http, / are 2, 6, 4;
# :authority (index 1) as a literal with incremental indexing.
STATUS_200 = bytes([0x88])
STATUS_200_LENGTH_0 = bytes([0x88, 0x0F, 0x0D, 0x01]) + b"0"  # content-length: 0 (index 28)
GET_REQUEST = bytes([0x82, 0x86, 0x84, 0x41, 12]) + b"example.test"


ALIVE = bytes.fromhex("6832630000000001")  # the opaque data of the engine's first `alive` PING


def ping(data: bytes, ack: bool) -> bytes:
    return frame(6, ACK if ack else 0, 0, data)


def goaway(code: int, last: int = 0) -> bytes:
    return frame(7, 0, 0, struct.pack(">II", last, code))


def server(variant: int, split: int, body: bytes, close: bool = False) -> bytes:
    return bytes([(variant << 1) | (0x10 if close else 0), split]) + body


def client(variant: int, split: int, body: bytes, close: bool = False) -> bytes:
    return bytes([1 | (variant << 1) | (0x10 if close else 0), split]) + body


HELLO = settings((3, 100), (4, 65535)) + SETTINGS_ACK
RESPONSE = frame(1, END_STREAM | END_HEADERS, 1, STATUS_200_LENGTH_0)
SEEDS = [
    # Well-behaved servers, for each server script, in one piece and cut up.
    server(0, 0, HELLO + RESPONSE),
    server(0, 7, HELLO + frame(1, END_HEADERS, 1, STATUS_200) + frame(0, END_STREAM, 1, b"hello")),
    server(1, 0, HELLO + frame(8, 0, 0, struct.pack(">I", 100)) + RESPONSE),
    server(2, 0, HELLO + goaway(1, 0), close=True),
    server(3, 0, HELLO + ping(bytes(range(1, 9)), True) + SETTINGS_ACK + ping(ALIVE, True)),
    # Broken servers.
    server(0, 0, b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", close=True),
    server(0, 0, frame(4, 0, 0, b"\x00\x03\x00\x00\x00", length=5)),           # SETTINGS length 5
    server(0, 0, HELLO + frame(1, END_HEADERS | END_STREAM, 1, b"\x80")),        # HPACK index 0
    server(0, 9, HELLO + frame(1, END_STREAM, 1, STATUS_200) + frame(0, 0, 1, b"x")),  # no CONTINUATION
    server(0, 0, HELLO + frame(0, 0, 1, b"", length=0xFFFFFF)),                # oversized
    server(1, 5, HELLO + frame(8, 0, 0, struct.pack(">I", 0x7FFFFFFF)) * 2),     # window overflow
    server(3, 0, HELLO + ping(bytes(8), False) * 4 + frame(0xFA, 0xFF, 3, b"?")),
    server(0, 0, frame(1, END_HEADERS, 1, STATUS_200)),                           # no SETTINGS first
    # Clients (the engine plays the server).
    client(0, 0, PREFACE + settings() + SETTINGS_ACK + frame(1, END_STREAM | END_HEADERS, 1, GET_REQUEST)
           + ping(ALIVE, True)),
    client(0, 11, PREFACE + settings((2, 0)) + frame(1, END_STREAM | END_HEADERS, 1, GET_REQUEST) + SETTINGS_ACK),
    client(1, 0, PREFACE + settings() + SETTINGS_ACK + goaway(1, 0), close=True),
    client(0, 0, b"PRI * HTTP/1.1\r\n\r\n"),                                        # bad preface
    client(0, 0, PREFACE + settings() + frame(1, END_HEADERS, 2, GET_REQUEST)),     # even stream id
]


def main() -> int:
    if len(sys.argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 64
    source = pathlib.Path(sys.argv[1]) if len(sys.argv) == 2 else pathlib.Path(__file__).resolve().parents[1]
    corpus = source / "fuzzers" / "corpus" / "session"
    corpus.mkdir(parents=True, exist_ok=True)
    added = sum(write_seed(corpus, s) for s in SEEDS)
    print(f"session: {added} new seeds, {len(SEEDS) - added} already there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
