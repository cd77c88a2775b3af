// BlockWriter: representations written one by one, including invalid ones on purpose.
#include "runner/hpack/hpack.h"
#include "runner/hpack/internal.h"

namespace h2conform::hpack {
namespace {

std::uint8_t flags_for(Indexing indexing) {
  switch (indexing) {
    case Indexing::kIncremental: return 0x40;
    case Indexing::kWithout: return 0x00;
    case Indexing::kNever: return 0x10;
  }
  return 0x00;
}

int prefix_for(Indexing indexing) { return indexing == Indexing::kIncremental ? 6 : 4; }

}  // namespace

void BlockWriter::indexed(std::uint64_t index) { encode_integer(out_, 0x80, 7, index); }

void BlockWriter::literal(std::string_view name, std::string_view value, Indexing indexing,
                          bool huffman) {
  out_.push_back(flags_for(indexing));  // index 0: new name
  detail::append_string(out_, name, huffman);
  detail::append_string(out_, value, huffman);
  if (indexing == Indexing::kIncremental && table_ != nullptr) table_->insert_copy(name, value);
}

void BlockWriter::literal_indexed_name(std::uint64_t name_index, std::string_view value,
                                       Indexing indexing, bool huffman) {
  encode_integer(out_, flags_for(indexing), prefix_for(indexing), name_index);
  detail::append_string(out_, value, huffman);
  if (indexing != Indexing::kIncremental || table_ == nullptr || name_index == 0) return;
  const HeaderField* entry = name_index <= kStaticTableSize
                                 ? static_entry(name_index)
                                 : table_->at(name_index - kStaticTableSize);
  if (entry == nullptr) return;  // invalid on purpose: the peer's table does not change
  const std::string name = entry->name;  // the insert may evict the entry (RFC 7541 §4.4)
  table_->insert_copy(name, value);
}

void BlockWriter::size_update(std::uint64_t size) {
  encode_integer(out_, 0x20, 5, size);
  if (table_ != nullptr && size <= UINT32_MAX) table_->set_max_size(static_cast<std::uint32_t>(size));
}

void BlockWriter::raw(ByteView bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }

void BlockWriter::literal_bad_huffman(std::string_view name, std::string_view value,
                                      int pad_bits, bool zero_padding, bool embed_eos) {
  out_.push_back(0x00);  // literal without indexing, new name: the table never changes
  detail::append_string(out_, name, false);
  const Bytes bits = detail::huffman_encode_custom(value, pad_bits, zero_padding, embed_eos);
  encode_integer(out_, 0x80, 7, bits.size());
  out_.insert(out_.end(), bits.begin(), bits.end());
}

void BlockWriter::overflowing_integer(std::uint8_t first_byte_flags, int prefix_bits,
                                      int continuation_bytes) {
  out_.push_back(static_cast<std::uint8_t>(first_byte_flags | ((1u << prefix_bits) - 1)));
  for (int i = 0; i < continuation_bytes; ++i) out_.push_back(0xff);
  out_.push_back(0x7f);
}

}  // namespace h2conform::hpack
