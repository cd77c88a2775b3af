// hpack_differential: the same header blocks through our Decoder (runner/hpack) and through
// libnghttp2's inflater, which must agree. Built only with H2CONFORM_FUZZ=ON when pkg-config
// finds libnghttp2; the h2conform binary never links nghttp2.
//
// The input is cut into header blocks at points derived from its hash (an empty block now and
// then), and before some blocks SETTINGS_HEADER_TABLE_SIZE changes once or twice, as when the
// decoding side's SETTINGS are acknowledged between two blocks. For every block both decoders
// must accept, or both reject it; an accepted block must give the same fields (name, value,
// never-indexed flag) in the same order, and leave both dynamic tables with the same entries,
// size and maximum size. After a rejection both connections are dead, so comparing stops.
//
// Differences that are not bugs, and why they need no tolerance here:
// - Limits: our decoder runs with its defaults (no header list size limit, 1 MiB strings);
//   nghttp2's inflater has no header list limit either (its session enforces
//   SETTINGS_MAX_HEADER_LIST_SIZE) and caps string literals at 64 KiB, more than a 64 KiB
//   input can hold once its length prefix is counted.
// - A lowered SETTINGS_HEADER_TABLE_SIZE shrinks nghttp2's table at once, ours at the size
//   update that must begin the next block; no field can be decoded in between, so the tables
//   are only compared after an accepted block.
// - nghttp2's inflater does not check field name or value characters (RFC 9113 §8.2.1 is for
//   the HTTP layer), and neither does our decoder: any octets pass through both.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "fuzzers/fuzz_check.h"
#include "fuzzers/nghttp2_inflater.h"
#include "runner/hpack/hpack.h"

namespace {

using namespace h2conform::hpack;

constexpr std::size_t kMaxInput = 1 << 16;
constexpr std::size_t kMaxBlocks = 256;  // empty blocks do not advance; this bounds the loop

// One whole header block through nghttp2: false when it rejects the block, with nghttp2's
// error code in *rv_out.
bool nghttp2_decode(nghttp2_hd_inflater* inflater, ByteView block, HeaderList* out, long* rv_out) {
  return h2conform::fuzz::nghttp2_inflate_block(
      inflater, std::span<const std::uint8_t>(block.data(), block.size()),
      [out](const nghttp2_nv& nv) {
        out->push_back(HeaderField{std::string(reinterpret_cast<const char*>(nv.name), nv.namelen),
                                   std::string(reinterpret_cast<const char*>(nv.value), nv.valuelen),
                                   (nv.flags & NGHTTP2_NV_FLAG_NO_INDEX) != 0});
      },
      rv_out);
}

void print_block(ByteView block) {
  for (std::uint8_t b : block) std::fprintf(stderr, "%02x", b);
  std::fprintf(stderr, "\n");
}

void check_same_fields(const HeaderList& ours, const HeaderList& theirs) {
  FUZZ_CHECK(ours.size() == theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    FUZZ_CHECK(ours[i].name == theirs[i].name);
    FUZZ_CHECK(ours[i].value == theirs[i].value);
    FUZZ_CHECK(ours[i].never_index == theirs[i].never_index);
  }
}

void check_same_table(const DynamicTable& ours, nghttp2_hd_inflater* theirs) {
  FUZZ_CHECK(ours.size() == nghttp2_hd_inflate_get_dynamic_table_size(theirs));
  FUZZ_CHECK(ours.max_size() == nghttp2_hd_inflate_get_max_dynamic_table_size(theirs));
  FUZZ_CHECK(ours.count() + kStaticTableSize == nghttp2_hd_inflate_get_num_table_entries(theirs));
  for (std::size_t i = 1; i <= ours.count(); ++i) {
    const nghttp2_nv* nv = nghttp2_hd_inflate_get_table_entry(theirs, kStaticTableSize + i);
    FUZZ_CHECK(nv != nullptr);
    FUZZ_CHECK(ours.at(i)->name == std::string_view(reinterpret_cast<const char*>(nv->name), nv->namelen));
    FUZZ_CHECK(ours.at(i)->value == std::string_view(reinterpret_cast<const char*>(nv->value), nv->valuelen));
  }
}

// The SETTINGS_HEADER_TABLE_SIZE values acknowledged before one block: none, one or two
// (RFC 7541 §4.2: several changes between two blocks oblige the smallest to be signalled).
std::vector<std::uint32_t> next_table_settings(h2conform::fuzz::SplitMix& rng) {
  std::vector<std::uint32_t> out;
  const std::uint64_t roll = rng.next() % 8;
  const std::size_t count = roll < 5 ? 0 : roll < 7 ? 1 : 2;
  for (std::size_t i = 0; i < count; ++i) {
    switch (rng.next() % 4) {
      case 0: out.push_back(0); break;
      case 1: out.push_back(static_cast<std::uint32_t>(rng.next() % 256)); break;
      case 2: out.push_back(kDefaultTableSize); break;
      default: out.push_back(static_cast<std::uint32_t>(rng.next() % 8193)); break;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const ByteView in(data, size);
  h2conform::fuzz::SplitMix rng{h2conform::fuzz::input_hash(in)};
  Decoder ours;  // default limits: none that a 64 KiB input can reach but the string length
  h2conform::fuzz::NghttpInflater theirs;
  std::size_t pos = 0;
  for (std::size_t n = 0; n < kMaxBlocks && (pos < in.size() || n == 0); ++n) {
    const auto settings = next_table_settings(rng);
    for (std::uint32_t value : settings) {
      ours.set_protocol_max_table_size(value);
      FUZZ_CHECK(nghttp2_hd_inflate_change_table_size(theirs.p, value) == 0);
    }
    const std::size_t left = in.size() - pos;
    const std::uint64_t roll = rng.next() % 16;
    const std::size_t len = left == 0 || roll == 0 ? 0 : roll < 6 ? left : 1 + rng.next() % left;
    const ByteView block = in.subspan(pos, len);
    HeaderList our_fields;
    HeaderList their_fields;
    const auto error = ours.decode(block, &our_fields);
    long rv = 0;
    const bool accepted = nghttp2_decode(theirs.p, block, &their_fields, &rv);
    if (error.has_value() == accepted) {
      std::fprintf(stderr, "hpack_differential: block %zu at %zu: ours %s (%s), nghttp2 %s (%ld)\n",
                   n, pos, error ? "rejects" : "accepts", error ? error->reason.c_str() : "",
                   accepted ? "accepts" : "rejects", rv);
      for (std::uint32_t value : settings) std::fprintf(stderr, "  after SETTINGS_HEADER_TABLE_SIZE %u\n", value);
      print_block(block);
    }
    FUZZ_CHECK(error.has_value() != accepted);
    if (error) break;  // a COMPRESSION_ERROR ends the connection on both sides
    check_same_fields(our_fields, their_fields);
    check_same_table(ours.table(), theirs.p);
    pos += len;
  }
  return 0;
}
