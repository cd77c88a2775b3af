// hpack_roundtrip: decode -> encode -> decode must agree. Whatever a fresh decoder accepts is
// encoded by a fresh encoder (options derived from the input hash) and by a BlockWriter with
// a representation per field, and each encoding must decode to the same fields.
#include <cstdint>
#include <string>

#include "fuzzers/fuzz_check.h"
#include "runner/hpack/hpack.h"

namespace {

using namespace h2conform::hpack;

constexpr std::size_t kMaxInput = 1 << 15;

EncoderOptions options_for(h2conform::fuzz::SplitMix& rng) {
  EncoderOptions o;
  o.huffman = static_cast<HuffmanMode>(rng.next() % 3);
  o.indexing = static_cast<Indexing>(rng.next() % 3);
  o.use_dynamic_table = rng.next() % 4 != 0;
  o.selective_indexing = rng.next() % 2 == 0;
  return o;
}

void check_same(const HeaderList& got, const HeaderList& want, bool keep_never) {
  FUZZ_CHECK(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    FUZZ_CHECK(got[i] == want[i]);
    if (keep_never && want[i].never_index) FUZZ_CHECK(got[i].never_index);
  }
}

// Each field with a representation chosen from the hash; names only by literal.
Bytes write_each(const HeaderList& fields, h2conform::fuzz::SplitMix& rng, DynamicTable* table) {
  BlockWriter w(table);
  if (rng.next() % 4 == 0) w.size_update(rng.next() % (kDefaultTableSize + 1));
  for (const HeaderField& f : fields) {
    const auto indexing = static_cast<Indexing>(rng.next() % 3);
    w.literal(f.name, f.value, indexing, rng.next() % 2 == 0);
  }
  return w.take();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const ByteView in(data, size);
  h2conform::fuzz::SplitMix rng{h2conform::fuzz::input_hash(in)};
  DecoderLimits limits;
  limits.max_string_length = 1 << 14;
  Decoder first(limits);
  HeaderList fields;
  if (first.decode(in, &fields)) return 0;

  Encoder encoder;
  const EncoderOptions options = options_for(rng);
  const Bytes wire = encoder.encode(fields, options);
  Decoder second(limits);
  HeaderList again;
  FUZZ_CHECK(!second.decode(wire, &again));
  check_same(again, fields, true);
  FUZZ_CHECK(second.table().size() == encoder.table().size());

  // A second block through the same contexts exercises dynamic-table hits.
  const Bytes wire2 = encoder.encode(fields, options);
  HeaderList third;
  FUZZ_CHECK(!second.decode(wire2, &third));
  check_same(third, fields, true);

  DynamicTable writer_table;
  const Bytes written = write_each(fields, rng, &writer_table);
  Decoder fourth(limits);
  HeaderList fourth_fields;
  FUZZ_CHECK(!fourth.decode(written, &fourth_fields));
  check_same(fourth_fields, fields, false);
  FUZZ_CHECK(fourth.table().size() == writer_table.size());
  return 0;
}
