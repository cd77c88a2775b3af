// Test helpers (header-only, tests and fuzz replays only): decode the same bytes three ways,
// as STYLE.md asks: the whole input, one byte at a time, and seeded random splits.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "runner/wire/frame.h"
#include "runner/wire/hex.h"

namespace h2conform::wire::testing {

struct DecodeWay {
  std::string name;  // "whole", "byte-at-a-time", "random-splits seed=7"
  std::vector<DecodeResult> results;  // every kComplete/kError in order
  std::size_t left_over = 0;          // bytes neither consumed nor skipped at the end
};

// Whole input: decode_frame in a loop, stopping at need-more or an oversized frame whose
// payload is not all there.
inline DecodeWay decode_whole(ByteView in, const DecodeOptions& options) {
  DecodeWay way{"whole", {}, 0};
  std::size_t pos = 0;
  while (true) {
    DecodeResult r = decode_frame(in.subspan(pos), options);
    if (r.status == DecodeStatus::kNeedMore) break;
    const bool incomplete = r.consumed == 0;
    if (incomplete) r.consumed = kFrameHeaderSize + r.header.length;
    way.results.push_back(r);
    if (incomplete) {
      pos = in.size();
      break;
    }
    pos += r.consumed;
  }
  way.left_over = in.size() - pos;
  return way;
}

// Through FrameReader, feeding chunks of the given sizes (the last repeats).
inline DecodeWay decode_chunked(std::string name, ByteView in, const std::vector<std::size_t>& sizes,
                                const DecodeOptions& options) {
  DecodeWay way{std::move(name), {}, 0};
  FrameReader reader(options);
  std::size_t pos = 0;
  std::size_t i = 0;
  while (pos < in.size()) {
    const std::size_t n = std::min(std::max<std::size_t>(sizes[std::min(i++, sizes.size() - 1)], 1),
                                   in.size() - pos);
    reader.feed(in.subspan(pos, n));
    pos += n;
    for (DecodeResult r = reader.next(); r.status != DecodeStatus::kNeedMore; r = reader.next()) {
      way.results.push_back(r);
    }
  }
  way.left_over = reader.buffered();
  return way;
}

inline std::vector<std::size_t> random_splits(std::size_t total, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> dist(1, std::max<std::size_t>(total / 2, 1));
  std::vector<std::size_t> sizes;
  for (std::size_t sum = 0; sum < total;) sizes.push_back(dist(rng)), sum += sizes.back();
  return sizes;
}

// The three ways; random splits use seeds first_seed .. first_seed + seeds - 1.
inline std::vector<DecodeWay> decode_three_ways(ByteView in, const DecodeOptions& options = {},
                                                std::uint32_t first_seed = 1,
                                                std::uint32_t seeds = 4) {
  std::vector<DecodeWay> ways;
  ways.push_back(decode_whole(in, options));
  ways.push_back(decode_chunked("byte-at-a-time", in, {1}, options));
  for (std::uint32_t s = first_seed; s < first_seed + seeds; ++s) {
    ways.push_back(decode_chunked("random-splits seed=" + std::to_string(s), in,
                                  random_splits(in.size(), s), options));
  }
  return ways;
}

// Test data helpers. hex() of malformed text yields an empty vector, which rows never use.
inline Bytes hex(std::string_view text) { return parse_hex(text).value_or(Bytes{}); }
inline Bytes ascii(std::string_view text) { return Bytes(text.begin(), text.end()); }

inline Frame make_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, Payload payload,
                        std::uint32_t length = 0, bool reserved = false) {
  return Frame{FrameHeader{length, type, flags, reserved, stream}, std::move(payload)};
}

}  // namespace h2conform::wire::testing
