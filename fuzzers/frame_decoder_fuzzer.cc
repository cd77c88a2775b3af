// frame_decoder: decode arbitrary bytes with decode_frame (whole input) and with FrameReader
// (random splits derived from the input), and check that both agree and keep their contracts.
#include <cstdint>
#include <vector>

#include "fuzzers/fuzz_check.h"
#include "runner/wire/frame.h"

namespace {

using namespace h2conform::wire;
using h2conform::fuzz::SplitMix;

constexpr std::size_t kMaxInput = 1 << 16;

DecodeOptions options_for(std::uint64_t h) {
  static constexpr std::uint32_t kLimits[] = {kDefaultMaxFrameSize, kDefaultMaxFrameSize, 16, 0,
                                              kMaxAllowedFrameSize};
  return {.max_frame_size = kLimits[h % 5], .reject_nonzero_padding = ((h >> 8) & 1) != 0};
}

void check_result(const DecodeResult& r, std::size_t available, const DecodeOptions& o) {
  FUZZ_CHECK(r.consumed <= available);
  if (r.status == DecodeStatus::kNeedMore) FUZZ_CHECK(r.consumed == 0);
  const std::size_t frame_size = kFrameHeaderSize + r.header.length;
  if (r.status == DecodeStatus::kComplete) {
    FUZZ_CHECK(r.consumed == frame_size);
    FUZZ_CHECK(r.header.length <= o.max_frame_size);
    FUZZ_CHECK(r.frame.header == r.header);
  }
  if (r.status == DecodeStatus::kError) {
    FUZZ_CHECK(!r.error.reason.empty());
    FUZZ_CHECK(r.error.offset < frame_size);
    FUZZ_CHECK(r.error.scope_stream == 0 || r.error.scope_stream == r.header.stream_id);
    FUZZ_CHECK(r.consumed == 0 || r.consumed == frame_size);
  }
}

bool same(const DecodeResult& a, const DecodeResult& b) {
  if (a.status != b.status || a.consumed != b.consumed || !(a.header == b.header)) return false;
  if (a.status == DecodeStatus::kComplete) return a.frame == b.frame;
  return a.error.code == b.error.code && a.error.scope_stream == b.error.scope_stream &&
         a.error.offset == b.error.offset && a.error.reason == b.error.reason;
}

// decode_frame over the whole input; an oversized frame that runs past the end stops it.
std::vector<DecodeResult> decode_whole(ByteView in, const DecodeOptions& o) {
  std::vector<DecodeResult> out;
  for (std::size_t pos = 0;;) {
    DecodeResult r = decode_frame(in.subspan(pos), o);
    check_result(r, in.size() - pos, o);
    if (r.status == DecodeStatus::kNeedMore) break;
    const bool incomplete = r.consumed == 0;
    r.consumed = kFrameHeaderSize + r.header.length;
    out.push_back(r);
    if (incomplete) break;
    pos += r.consumed;
  }
  return out;
}

std::vector<DecodeResult> decode_split(ByteView in, const DecodeOptions& o, std::uint64_t seed) {
  std::vector<DecodeResult> out;
  FrameReader reader(o);
  SplitMix rng{seed};
  std::size_t fed = 0;
  std::size_t consumed = 0;
  while (fed < in.size()) {
    const std::size_t n = std::min<std::size_t>(rng.next() % 64 + 1, in.size() - fed);
    reader.feed(in.subspan(fed, n));
    fed += n;
    for (DecodeResult r = reader.next(); r.status != DecodeStatus::kNeedMore; r = reader.next()) {
      consumed += r.consumed;
      out.push_back(r);
    }
    FUZZ_CHECK(fed + reader.skipping() == consumed + reader.buffered());
    FUZZ_CHECK(reader.buffered() < kFrameHeaderSize + std::size_t{o.max_frame_size} + 64);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const ByteView in(data, size);
  const std::uint64_t h = h2conform::fuzz::input_hash(in);
  const DecodeOptions options = options_for(h);
  const auto whole = decode_whole(in, options);
  const auto split = decode_split(in, options, h);
  FUZZ_CHECK(whole.size() == split.size());
  for (std::size_t i = 0; i < whole.size(); ++i) FUZZ_CHECK(same(whole[i], split[i]));
  for (const DecodeResult& r : whole) {
    if (r.status == DecodeStatus::kComplete) FUZZ_CHECK(!summarize(r.frame).empty());
  }
  return 0;
}
