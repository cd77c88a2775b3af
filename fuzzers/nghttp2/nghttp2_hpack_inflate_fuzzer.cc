// nghttp2_hpack_inflate: a comparison baseline for hpack_decoder, not a test of this project.
// The input is cut into header blocks exactly as hpack_decoder cuts it (the same hash, the same
// draws, so the same blocks; the same lowered SETTINGS_HEADER_TABLE_SIZE before the first block
// when hpack_decoder lowers it), and the blocks go through one nghttp2 inflater
// (nghttp2_hd_inflate_hd2, each block final) until one is rejected. Run from hpack_decoder's
// seeds with its dictionary and max_len (scripts/fuzz-compare.sh), the exec/s and coverage of
// the two targets compare. hpack_decoder also decodes every block a second time (its callback
// interface) and checks its table after each block; nghttp2 is only asked to inflate.
//
// Built only with -DH2CONFORM_FUZZ=ON when pkg-config finds libnghttp2, never in the OSS-Fuzz
// layout (fuzzers/build.sh), never linked into h2conform; see fuzzers/README.md.
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <span>

#include "fuzzers/fuzz_check.h"
#include "fuzzers/nghttp2_inflater.h"

namespace {

constexpr std::size_t kMaxInput = 1 << 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const std::span<const std::uint8_t> in(data, size);
  h2conform::fuzz::SplitMix rng{h2conform::fuzz::input_hash(in)};
  // hpack_decoder draws three decoder limits first; nghttp2's inflater has none of them (no
  // header list limit, strings up to 64 KiB), but the draws keep the block cuts the same.
  for (int i = 0; i < 3; ++i) rng.next();
  const auto protocol_max = static_cast<std::size_t>(rng.next() % 8192);
  const bool lower_limit = rng.next() % 4 == 0;
  h2conform::fuzz::NghttpInflater inflater;
  if (lower_limit) FUZZ_CHECK(nghttp2_hd_inflate_change_table_size(inflater.p, protocol_max) == 0);
  std::size_t fields = 0;
  for (std::size_t pos = 0; pos < in.size();) {
    const std::size_t len = rng.next() % 3 == 0 ? in.size() - pos : 1 + rng.next() % (in.size() - pos);
    const bool accepted =
        h2conform::fuzz::nghttp2_inflate_block(inflater.p, in.subspan(pos, len), [&fields](const nghttp2_nv&) { ++fields; });
    if (!accepted) break;  // a COMPRESSION_ERROR ends it
    pos += len;
  }
  FUZZ_CHECK(fields <= size);  // every field costs at least one octet
  return 0;
}
