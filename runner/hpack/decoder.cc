// Header block decoder (RFC 7541 §3, §6).
#include <algorithm>
#include <string>

#include "runner/hpack/hpack.h"
#include "runner/hpack/internal.h"

namespace h2conform::hpack {
namespace {

HpackError make_error(std::size_t offset, std::string reason) {
  return HpackError{offset, std::move(reason)};
}

std::string integer_reason(detail::IntStatus status, const char* what) {
  switch (status) {
    case detail::IntStatus::kTooLarge:
      return std::string(what) + " exceeds 2^32-1 (RFC 7541 §5.1)";
    case detail::IntStatus::kTooLong:
      return std::string(what) + " has more than 5 continuation octets (RFC 7541 §5.1)";
    default:
      return std::string("header block ends inside ") + what;
  }
}

std::string index_reason(std::uint32_t index, std::size_t dynamic_count) {
  if (index == 0) return "index 0 is not a valid table index (RFC 7541 §6.1)";
  return "index " + std::to_string(index) + " is past the end of the table (" +
         std::to_string(kStaticTableSize) + " static + " + std::to_string(dynamic_count) +
         " dynamic entries, RFC 7541 §2.3.3)";
}

std::string missing_update_reason(std::uint32_t protocol_max) {
  return "block does not start with a dynamic table size update after "
         "SETTINGS_HEADER_TABLE_SIZE was lowered to " +
         std::to_string(protocol_max) + " (RFC 7541 §4.2)";
}

}  // namespace

struct Decoder::Field {
  std::string_view name;
  std::string_view value;
  bool never_index = false;
};

void Decoder::set_protocol_max_table_size(std::uint32_t size) {
  protocol_max_ = size;
  // RFC 7541 §4.2: a lower limit must be acknowledged by a size update in the next block, and
  // when the limit changed more than once since the last block, that update signals the
  // smallest of them.
  if (size < table_.max_size()) {
    smallest_limit_ = update_required_ ? std::min(smallest_limit_, size) : size;
    update_required_ = true;
  }
}

void Decoder::reset_table_size(std::uint32_t size) {
  protocol_max_ = size;
  table_.set_max_size(size);
  update_required_ = false;
}

std::optional<HpackError> Decoder::read_string(ByteView block, std::size_t* pos,
                                               std::string* scratch, std::string_view* out) {
  const std::size_t start = *pos;
  if (start >= block.size()) return make_error(start, "header block ends before a string literal");
  const bool huffman = (block[start] & 0x80) != 0;
  std::uint32_t len = 0;
  std::size_t used = 0;
  const auto st = detail::read_integer(block.data() + start, block.data() + block.size(), 7,
                                       &len, &used);
  if (st != detail::IntStatus::kOk) return make_error(start, integer_reason(st, "string length"));
  const std::size_t data = start + used;
  if (len > block.size() - data) {
    return make_error(start, "string length " + std::to_string(len) +
                                 " runs past the end of the block (" +
                                 std::to_string(block.size() - data) + " octets left)");
  }
  *pos = data + len;
  if (!huffman) {
    if (len > limits_.max_string_length) {
      return make_error(start, "string of " + std::to_string(len) + " octets exceeds the limit of " +
                                   std::to_string(limits_.max_string_length));
    }
    *out = std::string_view(reinterpret_cast<const char*>(block.data() + data), len);
    return std::nullopt;
  }
  const std::size_t room = detail::huffman_decoded_capacity(len);
  if (scratch->size() < room) scratch->resize(room);
  std::size_t n = 0;
  if (const auto status = detail::huffman_decode_to(block.data() + data, len, scratch->data(), &n);
      status != detail::HuffmanStatus::kOk) {
    return make_error(start, detail::huffman_reason(status));
  }
  if (n > limits_.max_string_length) {
    return make_error(start, "Huffman string decodes to " + std::to_string(n) +
                                 " octets, over the limit of " +
                                 std::to_string(limits_.max_string_length));
  }
  *out = std::string_view(scratch->data(), n);
  return std::nullopt;
}

std::optional<HpackError> Decoder::decode_one(ByteView block, std::size_t* pos, Field* field) {
  const std::size_t start = *pos;
  const std::uint8_t b = block[start];
  const int prefix = (b & 0x80) ? 7 : (b & 0x40) ? 6 : 4;
  std::uint32_t index = 0;
  std::size_t used = 0;
  const auto st = detail::read_integer(block.data() + start, block.data() + block.size(), prefix,
                                       &index, &used);
  if (st != detail::IntStatus::kOk) return make_error(start, integer_reason(st, "index"));
  *pos = start + used;
  const HeaderField* entry = nullptr;
  if (index != 0 || prefix == 7) {  // §6.1: index 0 is an error; §6.2: 0 means a new name
    entry = index <= kStaticTableSize ? static_entry(index) : table_.at(index - kStaticTableSize);
    if (entry == nullptr) return make_error(start, index_reason(index, table_.count()));
  }
  if (prefix == 7) {  // §6.1 indexed header field
    field->name = entry->name;
    field->value = entry->value;
    field->never_index = false;
    return std::nullopt;
  }
  const bool incremental = prefix == 6;
  if (entry == nullptr) {
    if (auto e = read_string(block, pos, &name_buf_, &field->name)) return e;
  } else if (incremental && index > kStaticTableSize) {
    name_buf_.assign(entry->name);  // the insert below may evict the entry (RFC 7541 §4.4)
    field->name = name_buf_;
  } else {
    field->name = entry->name;
  }
  if (auto e = read_string(block, pos, &value_buf_, &field->value)) return e;
  field->never_index = (b & 0xf0) == 0x10;  // §6.2.3
  if (incremental) table_.insert_copy(field->name, field->value);  // §6.2.1
  return std::nullopt;
}

std::optional<HpackError> Decoder::size_update(ByteView block, std::size_t* pos) {
  const std::size_t start = *pos;
  std::uint32_t size = 0;
  std::size_t used = 0;
  const auto st = detail::read_integer(block.data() + start, block.data() + block.size(), 5,
                                       &size, &used);
  if (st != detail::IntStatus::kOk) {
    return make_error(start, integer_reason(st, "dynamic table size update"));
  }
  if (size > protocol_max_) {
    return make_error(start, "dynamic table size update to " + std::to_string(size) +
                                 " exceeds the limit " + std::to_string(protocol_max_) +
                                 " from SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3)");
  }
  if (update_required_ && size > smallest_limit_) {
    return make_error(start, "dynamic table size update to " + std::to_string(size) +
                                 " is not the smallest SETTINGS_HEADER_TABLE_SIZE since the last "
                                 "block, " + std::to_string(smallest_limit_) + " (RFC 7541 §4.2)");
  }
  table_.set_max_size(size);
  update_required_ = false;
  *pos = start + used;
  return std::nullopt;
}

std::optional<HpackError> Decoder::decode(ByteView block, FieldSink sink, void* ctx) {
  std::size_t pos = 0;
  std::size_t fields = 0;
  std::size_t list_size = 0;
  while (pos < block.size()) {
    if ((block[pos] & 0xe0) == 0x20) {  // §6.3 Dynamic Table Size Update
      if (fields != 0) {
        return make_error(pos, "dynamic table size update after a header field (RFC 7541 §4.2)");
      }
      if (auto e = size_update(block, &pos)) return e;
      continue;
    }
    if (update_required_) return make_error(pos, missing_update_reason(protocol_max_));
    const std::size_t start = pos;
    Field f;
    if (auto e = decode_one(block, &pos, &f)) return e;
    if (++fields > limits_.max_fields) {
      return make_error(start, "more than " + std::to_string(limits_.max_fields) +
                                   " fields in one block");
    }
    list_size += f.name.size() + f.value.size() + kEntryOverhead;
    if (list_size > limits_.max_header_list_size) {
      return make_error(start, "header list size " + std::to_string(list_size) +
                                   " exceeds the limit of " +
                                   std::to_string(limits_.max_header_list_size) +
                                   " (RFC 9113 §6.5.2)");
    }
    sink(ctx, f.name, f.value, f.never_index);
  }
  // An empty block is still "the first header block following the change" (RFC 7541 §4.2):
  // without the update the requirement is broken, not postponed to the next block.
  if (update_required_) return make_error(pos, missing_update_reason(protocol_max_));
  return std::nullopt;
}

std::optional<HpackError> Decoder::decode(ByteView block, HeaderList* out) {
  return decode(
      block,
      [](void* c, std::string_view n, std::string_view v, bool ni) {
        static_cast<HeaderList*>(c)->push_back(HeaderField{std::string(n), std::string(v), ni});
      },
      static_cast<void*>(out));
}

}  // namespace h2conform::hpack
