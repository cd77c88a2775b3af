// A structure-aware mutator for inputs that are (mostly) HTTP/2 frame sequences: the input is
// read as a fixed prefix, then frames, then a tail that is not a whole frame; a mutation changes
// that sequence (insert, drop, duplicate or move a frame; flip a flag; change a stream id, a
// length, a type or a SETTINGS value; mutate one payload) and writes it back. Crossover splices
// frames, and HPACK blocks in particular, from a second input. Some of the time, and whenever
// the result would not fit, it falls back to libFuzzer's byte-level LLVMFuzzerMutate.
//
// Contract: reading is tolerant (any bytes split into prefix, frames and tail, and writing them
// back gives exactly the same bytes: serialize_frames(parse_frames(x)) == x); every function is
// deterministic in its seed and never writes past max_size. No I/O, no global state.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "fuzzers/fuzz_check.h"

// libFuzzer's byte-level mutator; weak, so that the corpus replays (no libFuzzer) still link.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size)
    __attribute__((weak));

namespace h2conform::fuzz {

struct MutFrame {
  std::uint32_t length = 0;  // as written in the header; may disagree with payload.size()
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::uint32_t stream = 0;  // with the reserved bit
  std::vector<std::uint8_t> payload;
};

struct FrameSequence {
  std::vector<std::uint8_t> prefix;  // a fuzzer's control octets; a mutation may flip one bit
  std::vector<MutFrame> frames;
  std::vector<std::uint8_t> tail;  // octets that do not make a whole frame
};

inline constexpr std::size_t kMutFrameHeader = 9;

// Splits `data` after `prefix_size` octets into whole frames (by their declared lengths) and a
// tail. A frame whose declared length runs past the end starts the tail.
inline FrameSequence parse_frames(std::span<const std::uint8_t> data, std::size_t prefix_size) {
  FrameSequence seq;
  const std::size_t p = std::min(prefix_size, data.size());
  seq.prefix.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(p));
  std::size_t pos = p;
  while (data.size() - pos >= kMutFrameHeader) {
    const std::uint8_t* h = data.data() + pos;
    const std::uint32_t length = (std::uint32_t{h[0]} << 16) | (std::uint32_t{h[1]} << 8) | h[2];
    if (length > data.size() - pos - kMutFrameHeader) break;
    MutFrame f;
    f.length = length;
    f.type = h[3];
    f.flags = h[4];
    f.stream = (std::uint32_t{h[5]} << 24) | (std::uint32_t{h[6]} << 16) | (std::uint32_t{h[7]} << 8) | h[8];
    f.payload.assign(h + kMutFrameHeader, h + kMutFrameHeader + length);
    seq.frames.push_back(std::move(f));
    pos += kMutFrameHeader + length;
  }
  seq.tail.assign(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end());
  return seq;
}

inline std::vector<std::uint8_t> serialize_frames(const FrameSequence& seq) {
  std::vector<std::uint8_t> out(seq.prefix);
  for (const MutFrame& f : seq.frames) {
    const std::uint8_t header[kMutFrameHeader] = {
        static_cast<std::uint8_t>(f.length >> 16), static_cast<std::uint8_t>(f.length >> 8),
        static_cast<std::uint8_t>(f.length),       f.type,
        f.flags,                                   static_cast<std::uint8_t>(f.stream >> 24),
        static_cast<std::uint8_t>(f.stream >> 16), static_cast<std::uint8_t>(f.stream >> 8),
        static_cast<std::uint8_t>(f.stream)};
    out.insert(out.end(), header, header + kMutFrameHeader);
    out.insert(out.end(), f.payload.begin(), f.payload.end());
  }
  out.insert(out.end(), seq.tail.begin(), seq.tail.end());
  return out;
}

namespace mutator_detail {

inline void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  for (int shift = 24; shift >= 0; shift -= 8) v.push_back(static_cast<std::uint8_t>(x >> shift));
}

// Stream ids a mutation picks from: the connection, the first streams of both parities, a
// high one, the largest, and one with the reserved bit set.
inline std::uint32_t pick_stream(SplitMix& rng) {
  static constexpr std::uint32_t kIds[] = {0, 1, 1, 2, 3, 5, 0x7fffffff, 0x80000001, 101};
  const std::uint64_t r = rng.next();
  return (r & 0xf) < 14 ? kIds[(r >> 4) % std::size(kIds)] : static_cast<std::uint32_t>(r >> 32);
}

// Values that sit on the edges of the limits RFC 9113 §6.5.2 and §6.9 set.
inline std::uint32_t pick_value(SplitMix& rng) {
  static constexpr std::uint32_t kValues[] = {0, 1, 2, 100, 16383, 16384, 16385, 65535, 65536,
                                              0x7fffffff, 0x80000000, 0xffffffff, 0xffffff, 4096};
  const std::uint64_t r = rng.next();
  return (r & 7) != 0 ? kValues[(r >> 3) % std::size(kValues)] : static_cast<std::uint32_t>(r >> 32);
}

// A small HPACK block (RFC 7541): a response, a request, a size update, a literal, or junk.
inline std::vector<std::uint8_t> pick_block(SplitMix& rng) {
  switch (rng.next() % 6) {
    case 0: return {0x88};                                   // :status 200
    case 1: return {0x82, 0x86, 0x84, 0x41, 0x01, 'a'};      // GET http / :authority a
    case 2: return {0x3f, 0xe1, 0x1f};                       // size update 4096
    case 3: return {0x40, 0x01, 'x', 0x01, 'y'};             // x: y, indexed
    case 4: return {0x48, 0x03, '2', '0', '4', 0xbe};        // :status 204, then a dynamic index
    default: return {0xff, 0xff, 0xff, 0xff, 0x0f};         // an integer that overflows
  }
}

inline MutFrame make_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                           std::vector<std::uint8_t> payload) {
  MutFrame f;
  f.length = static_cast<std::uint32_t>(payload.size());
  f.type = type;
  f.flags = flags;
  f.stream = stream;
  f.payload = std::move(payload);
  return f;
}

// A frame of a random type with a plausible payload (RFC 9113 §6, RFC 9218 §7.1).
inline MutFrame new_frame(SplitMix& rng) {
  const std::uint64_t r = rng.next();
  const std::uint32_t stream = pick_stream(rng);
  const auto flags = static_cast<std::uint8_t>(r >> 8);
  std::vector<std::uint8_t> p;
  switch (r % 13) {
    case 0: p.assign(1 + (r >> 16) % 16, 'd'); return make_frame(0x0, flags & 0x1, stream, p);
    case 1: return make_frame(0x1, 0x4 | (flags & 0x1), stream, pick_block(rng));
    case 2: put32(p, pick_stream(rng)); p.push_back(static_cast<std::uint8_t>(r >> 24)); return make_frame(0x2, 0, stream, p);
    case 3: put32(p, pick_value(rng) % 14); return make_frame(0x3, 0, stream, p);
    case 4:
      p = {0, static_cast<std::uint8_t>(1 + (r >> 16) % 9)};
      put32(p, pick_value(rng));
      return make_frame(0x4, 0, 0, p);
    case 5: return make_frame(0x4, 0x1, 0, {});  // SETTINGS ACK
    case 6: put32(p, 2); { auto b = pick_block(rng); p.insert(p.end(), b.begin(), b.end()); }
            return make_frame(0x5, 0x4, stream, p);
    case 7: p.assign(8, static_cast<std::uint8_t>(r >> 32)); return make_frame(0x6, flags & 0x1, 0, p);
    case 8: put32(p, pick_stream(rng)); put32(p, pick_value(rng) % 14); return make_frame(0x7, 0, 0, p);
    case 9: put32(p, pick_value(rng)); return make_frame(0x8, 0, stream, p);
    case 10: return make_frame(0x9, flags & 0x4, stream, pick_block(rng));
    case 11: put32(p, 1); p.insert(p.end(), {'u', '=', '1'}); return make_frame(0x10, 0, 0, p);
    default: p.assign((r >> 16) % 8, 0); return make_frame(static_cast<std::uint8_t>(0xa + (r >> 32) % 0xf0), flags, stream, p);
  }
}

inline bool carries_block(const MutFrame& f) { return f.type == 0x1 || f.type == 0x5 || f.type == 0x9; }

// One change to the frame sequence; false when it found nothing to change.
inline bool mutate_sequence(FrameSequence& seq, SplitMix& rng, std::size_t max_payload) {
  auto& frames = seq.frames;
  const std::uint64_t r = rng.next();
  const std::size_t n = frames.size();
  const std::size_t i = n == 0 ? 0 : (r >> 8) % n;
  const std::size_t j = n == 0 ? 0 : (r >> 24) % n;
  switch (r % 12) {
    case 0: case 1: frames.insert(frames.begin() + static_cast<std::ptrdiff_t>(n == 0 ? 0 : (r >> 40) % (n + 1)), new_frame(rng)); return true;
    case 2: if (n == 0) return false; frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(i)); return true;
    case 3: if (n == 0) return false; frames.insert(frames.begin() + static_cast<std::ptrdiff_t>(i), frames[i]); return true;
    case 4: {
      if (n < 2) return false;
      MutFrame moved = std::move(frames[i]);
      frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(i));
      frames.insert(frames.begin() + static_cast<std::ptrdiff_t>(j), std::move(moved));
      return true;
    }
    case 5: if (n == 0) return false; frames[i].flags ^= static_cast<std::uint8_t>(1u << ((r >> 40) & 7)); return true;
    case 6: if (n == 0) return false; frames[i].stream = pick_stream(rng); return true;
    case 7: {
      if (n == 0) return false;
      static constexpr std::int64_t kDeltas[] = {-1, 1, -8, 8};
      const std::uint64_t k = (r >> 40) % 6;
      if (k < 4) frames[i].length = static_cast<std::uint32_t>(std::int64_t{frames[i].length} + kDeltas[k]) & 0xffffff;
      else frames[i].length = k == 4 ? 0 : pick_value(rng) & 0xffffff;
      return true;
    }
    case 8: if (n == 0) return false; frames[i].type = static_cast<std::uint8_t>((r >> 40) % 11); return true;
    case 9: {  // a SETTINGS entry: a new value, a new id, or one more entry
      for (std::size_t k = 0; k < n; ++k) {
        MutFrame& f = frames[(i + k) % n];
        if (f.type != 0x4 || (f.flags & 0x1) != 0) continue;
        if (f.payload.size() < 6 || ((r >> 40) & 3) == 0) {
          f.payload.insert(f.payload.end(), {0, static_cast<std::uint8_t>(1 + (r >> 48) % 9)});
          mutator_detail::put32(f.payload, pick_value(rng));
        } else {
          const std::size_t at = 6 * ((r >> 48) % (f.payload.size() / 6));
          if (((r >> 42) & 1) != 0) f.payload[at + 1] = static_cast<std::uint8_t>(r >> 56) % 10;
          const std::uint32_t v = pick_value(rng);
          for (int b = 0; b < 4; ++b) f.payload[at + 2 + b] = static_cast<std::uint8_t>(v >> (24 - 8 * b));
        }
        f.length = static_cast<std::uint32_t>(f.payload.size());
        return true;
      }
      return false;
    }
    case 10: {  // a payload through the byte mutator, the framing kept
      if (n == 0 || LLVMFuzzerMutate == nullptr) return false;
      MutFrame& f = frames[i];
      const std::size_t old = f.payload.size();
      const std::size_t cap = std::max(old, std::min<std::size_t>(max_payload, old * 2 + 16));
      f.payload.resize(cap);
      f.payload.resize(LLVMFuzzerMutate(f.payload.data(), old, cap));
      f.length = static_cast<std::uint32_t>(f.payload.size());
      return true;
    }
    default: {  // the prefix (a fuzzer's control octets) or the tail
      if (!seq.prefix.empty() && (r & 0x100) != 0) {
        seq.prefix[(r >> 16) % seq.prefix.size()] ^= static_cast<std::uint8_t>(1u << ((r >> 40) & 7));
      } else {
        seq.tail.clear();
      }
      return true;
    }
  }
}

inline std::size_t copy_out(const std::vector<std::uint8_t>& bytes, std::uint8_t* out, std::size_t max_size) {
  const std::size_t n = std::min(bytes.size(), max_size);
  if (n > 0) std::memmove(out, bytes.data(), n);
  return n;
}

}  // namespace mutator_detail

// LLVMFuzzerCustomMutator's body: 1 to 4 structural changes, or (one time in eight, or when
// nothing changed or the result would not fit) libFuzzer's byte-level mutation.
inline std::size_t mutate_frames(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                                 std::size_t prefix_size) {
  SplitMix rng{seed};
  const bool bytes_only = rng.next() % 8 == 0;
  if (!bytes_only) {
    FrameSequence seq = parse_frames({data, size}, prefix_size);
    bool changed = false;
    const int count = 1 + static_cast<int>(rng.next() % 4);
    for (int k = 0; k < count; ++k) changed = mutator_detail::mutate_sequence(seq, rng, max_size) || changed;
    const std::vector<std::uint8_t> out = serialize_frames(seq);
    if (changed && out.size() <= max_size) return mutator_detail::copy_out(out, data, max_size);
  }
  return LLVMFuzzerMutate != nullptr ? LLVMFuzzerMutate(data, size, max_size) : size;
}

// LLVMFuzzerCustomCrossOver's body: data1's prefix and frames with some of data2's spliced in:
// a run of data2's frames inserted, or a field block fragment of data2 in place of one of data1's.
inline std::size_t cross_frames(std::span<const std::uint8_t> data1, std::size_t prefix1,
                                std::span<const std::uint8_t> data2, std::size_t prefix2, std::uint8_t* out,
                                std::size_t max_out, unsigned seed) {
  SplitMix rng{seed};
  FrameSequence a = parse_frames(data1, prefix1);
  const FrameSequence b = parse_frames(data2, prefix2);
  const std::uint64_t r = rng.next();
  std::vector<std::size_t> a_blocks, b_blocks;
  for (std::size_t k = 0; k < a.frames.size(); ++k) if (mutator_detail::carries_block(a.frames[k])) a_blocks.push_back(k);
  for (std::size_t k = 0; k < b.frames.size(); ++k) if (mutator_detail::carries_block(b.frames[k])) b_blocks.push_back(k);
  if ((r & 1) != 0 && !a_blocks.empty() && !b_blocks.empty()) {
    MutFrame& to = a.frames[a_blocks[(r >> 8) % a_blocks.size()]];
    const MutFrame& from = b.frames[b_blocks[(r >> 24) % b_blocks.size()]];
    to.payload = from.payload;
    to.flags = static_cast<std::uint8_t>((to.flags & ~0x28) | (from.flags & 0x28));  // PADDED, PRIORITY
    to.length = static_cast<std::uint32_t>(to.payload.size());
  } else if (!b.frames.empty()) {
    const std::size_t from = (r >> 8) % b.frames.size();
    const std::size_t count = std::min<std::size_t>(1 + (r >> 24) % 4, b.frames.size() - from);
    const std::size_t at = a.frames.empty() ? 0 : (r >> 40) % (a.frames.size() + 1);
    a.frames.insert(a.frames.begin() + static_cast<std::ptrdiff_t>(at), b.frames.begin() + static_cast<std::ptrdiff_t>(from),
                    b.frames.begin() + static_cast<std::ptrdiff_t>(from + count));
  }
  return mutator_detail::copy_out(serialize_frames(a), out, max_out);
}

}  // namespace h2conform::fuzz
