// hpack_decoder: arbitrary bytes as header blocks through one decoder with small limits. The
// input is cut into blocks at points derived from its hash, so raw blocks work as seeds.
// Properties: no crash; errors carry a reason and an offset inside the block; the dynamic
// table stays within its limits and its size matches its entries; the callback and the
// header-list interfaces agree field for field; decoded fields respect the limits.
#include <algorithm>
#include <cstdint>
#include <string>

#include "fuzzers/fuzz_check.h"
#include "runner/hpack/hpack.h"

namespace {

using namespace h2conform::hpack;

constexpr std::size_t kMaxInput = 1 << 16;

void check_table(const DynamicTable& t, std::uint32_t protocol_max) {
  std::size_t sum = 0;
  for (std::size_t i = 1; i <= t.count(); ++i) {
    const HeaderField* e = t.at(i);
    FUZZ_CHECK(e != nullptr);
    sum += e->name.size() + e->value.size() + kEntryOverhead;
  }
  FUZZ_CHECK(t.at(t.count() + 1) == nullptr);
  FUZZ_CHECK(sum == t.size());
  FUZZ_CHECK(t.size() <= t.max_size());
  FUZZ_CHECK(t.max_size() <= std::max<std::uint32_t>(protocol_max, kDefaultTableSize));
}

struct Collected {
  HeaderList fields;
};

void collect(void* ctx, std::string_view n, std::string_view v, bool ni) {
  static_cast<Collected*>(ctx)->fields.push_back(HeaderField{std::string(n), std::string(v), ni});
}

void check_same_outcome(const std::optional<HpackError>& e1, const std::optional<HpackError>& e2,
                        const HeaderList& list, const HeaderList& fields,
                        const DecoderLimits& limits, std::size_t block_size) {
  FUZZ_CHECK(e1.has_value() == e2.has_value());
  FUZZ_CHECK(list.size() == fields.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    FUZZ_CHECK(list[i] == fields[i] && list[i].never_index == fields[i].never_index);
    // The limit applies to string literals; a static-table name may be longer (27 octets).
    FUZZ_CHECK(list[i].name.size() <= std::max<std::size_t>(limits.max_string_length, 27));
    FUZZ_CHECK(list[i].value.size() <= limits.max_string_length);
  }
  FUZZ_CHECK(list.size() <= limits.max_fields);
  if (e1) {
    FUZZ_CHECK(!e1->reason.empty());
    FUZZ_CHECK(e1->offset <= block_size);
    FUZZ_CHECK(e1->offset == e2->offset && e1->reason == e2->reason);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const ByteView in(data, size);
  h2conform::fuzz::SplitMix rng{h2conform::fuzz::input_hash(in)};
  DecoderLimits limits;
  limits.max_header_list_size = 256 + rng.next() % 8192;
  limits.max_string_length = 16 + rng.next() % 4096;
  limits.max_fields = 1 + rng.next() % 256;
  Decoder by_list(limits);
  Decoder by_callback(limits);
  const std::uint32_t protocol_max = static_cast<std::uint32_t>(rng.next() % 8192);
  const bool lower_limit = rng.next() % 4 == 0;
  for (std::size_t pos = 0; pos < in.size();) {
    const std::size_t len = rng.next() % 3 == 0 ? in.size() - pos : 1 + rng.next() % (in.size() - pos);
    const ByteView block = in.subspan(pos, len);
    if (lower_limit && pos == 0) {
      by_list.set_protocol_max_table_size(protocol_max);
      by_callback.set_protocol_max_table_size(protocol_max);
    }
    HeaderList list;
    Collected cb;
    const auto e1 = by_list.decode(block, &list);
    const auto e2 = by_callback.decode(block, collect, &cb);
    check_same_outcome(e1, e2, list, cb.fields, limits, block.size());
    check_table(by_list.table(), lower_limit ? protocol_max : kDefaultTableSize);
    FUZZ_CHECK(by_list.table().size() == by_callback.table().size());
    if (e1) break;  // a COMPRESSION_ERROR ends the connection
    pos += len;
  }
  return 0;
}
