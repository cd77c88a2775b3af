// frame_roundtrip: decode -> encode -> decode must agree. Every frame the decoder accepts must
// re-encode to exactly the bytes it came from, and those bytes must decode to an equal frame.
// Overrides derived from the input then produce wrong frames, which must decode without harm.
#include <cstdint>

#include "fuzzers/fuzz_check.h"
#include "runner/wire/frame.h"

namespace {

using namespace h2conform::wire;

constexpr std::size_t kMaxInput = 1 << 16;

EncodeOverrides overrides_for(std::uint64_t h, std::size_t payload_size) {
  EncodeOverrides o;
  switch (h % 6) {
    case 0: o.length = static_cast<std::uint32_t>((h >> 8) & 0xffffff); break;
    case 1: o.flags = static_cast<std::uint8_t>(h >> 8); break;
    case 2: o.pad_length = static_cast<std::uint8_t>(h >> 8); break;
    case 3: o.truncate_payload = payload_size / 2; break;
    case 4: o.append_payload = Bytes((h >> 8) % 16, static_cast<std::uint8_t>(h >> 16)); break;
    default: o.type = static_cast<std::uint8_t>(h >> 8); break;
  }
  return o;
}

void check_round_trip(ByteView original, const Frame& frame, const DecodeOptions& options) {
  const Bytes again = encode_frame(frame);
  FUZZ_CHECK(again.size() == original.size());
  FUZZ_CHECK(std::equal(again.begin(), again.end(), original.begin()));
  const DecodeResult r = decode_frame(again, options);
  FUZZ_CHECK(r.status == DecodeStatus::kComplete);
  FUZZ_CHECK(r.frame == frame);
  FUZZ_CHECK(payload_type(frame) == frame.header.type);
}

void check_wrong_frame(const Frame& frame, std::uint64_t h) {
  const Bytes wrong = encode_frame(frame, overrides_for(h, frame.header.length));
  const DecodeResult r = decode_frame(wrong, {.max_frame_size = kMaxAllowedFrameSize});
  FUZZ_CHECK(r.consumed <= wrong.size());
  if (r.status == DecodeStatus::kError) FUZZ_CHECK(!r.error.reason.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const ByteView in(data, size);
  const std::uint64_t h = h2conform::fuzz::input_hash(in);
  const DecodeOptions options{.max_frame_size = kMaxAllowedFrameSize,
                              .reject_nonzero_padding = (h & 1) != 0};
  for (std::size_t pos = 0; pos < in.size();) {
    const DecodeResult r = decode_frame(in.subspan(pos), options);
    if (r.status == DecodeStatus::kNeedMore) break;
    FUZZ_CHECK(r.consumed > 0);
    if (r.status == DecodeStatus::kComplete) {
      check_round_trip(in.subspan(pos, r.consumed), r.frame, options);
      check_wrong_frame(r.frame, h);
    }
    pos += r.consumed;
  }
  return 0;
}
