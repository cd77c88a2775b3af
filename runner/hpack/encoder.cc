// Header block encoder (RFC 7541 §6) with a hash index over the dynamic table.
#include <algorithm>

#include "runner/hpack/hpack.h"
#include "runner/hpack/internal.h"

namespace h2conform::hpack {
namespace {

void append_integer(Bytes& out, std::uint8_t flags, int prefix_bits, std::uint64_t value) {
  if (value < (1u << prefix_bits) - 1) {
    out.push_back(static_cast<std::uint8_t>(flags | value));
    return;
  }
  std::uint8_t buf[16];
  const std::size_t n = detail::write_integer(buf, flags, prefix_bits, value);
  out.insert(out.end(), buf, buf + n);
}

bool is_volatile_name(std::string_view name) {
  switch (name.size()) {
    case 3: return name == "age";
    case 4: return name == "etag";
    case 5: return name == ":path";
    case 8: return name == "location";
    case 10: return name == "set-cookie";
    case 13: return name == "if-none-match";
    case 14: return name == "content-length";
    case 17: return name == "if-modified-since";
    default: return false;
  }
}

Indexing choose_indexing(const HeaderField& field, const EncoderOptions& options,
                         std::uint32_t table_max) {
  if (field.never_index) return Indexing::kNever;
  if (!options.selective_indexing || options.indexing == Indexing::kNever) return options.indexing;
  if (field.name == "authorization" || (field.name == "cookie" && field.value.size() < 20)) {
    return Indexing::kNever;  // RFC 7541 §7.1.3: short secrets are easy to guess
  }
  const std::size_t size = field.name.size() + field.value.size() + kEntryOverhead;
  if (size > std::size_t{table_max} * 3 / 4 || is_volatile_name(field.name)) {
    return Indexing::kWithout;
  }
  return options.indexing;
}

std::uint8_t literal_flags(Indexing indexing) {
  switch (indexing) {
    case Indexing::kIncremental: return 0x40;  // §6.2.1
    case Indexing::kWithout: return 0x00;      // §6.2.2
    case Indexing::kNever: return 0x10;        // §6.2.3
  }
  return 0x00;
}

}  // namespace

void Encoder::set_max_table_size(std::uint32_t size) {
  table_.set_max_size(size);
  pending_update_ = size;
  // RFC 7541 §4.2: the smallest size since the last block is signaled first.
  pending_min_ = pending_min_ ? std::min(*pending_min_, size) : size;
}

std::size_t Encoder::find_dynamic(std::uint32_t hash, std::string_view name,
                                  std::string_view value, bool match_value) const {
  if (index_.empty()) return 0;
  const std::size_t mask = index_.size() - 1;
  const std::uint64_t inserted = table_.inserted();
  for (std::size_t i = hash & mask; index_[i].id != 0; i = (i + 1) & mask) {
    const IndexSlot& s = index_[i];
    if (s.hash != hash || inserted - s.id >= table_.count()) continue;
    const HeaderField* e = table_.at(static_cast<std::size_t>(inserted - s.id + 1));
    if (detail::equal(e->name, name) && (!match_value || detail::equal(e->value, value))) {
      return static_cast<std::size_t>(inserted - s.id + 1);
    }
  }
  return 0;
}

void Encoder::rebuild_index() {
  std::size_t cap = 64;
  while (cap < 8 * (table_.count() + 1)) cap *= 2;
  index_.assign(cap, IndexSlot{});
  index_used_ = 0;
  for (std::size_t pos = table_.count(); pos >= 1; --pos) {  // oldest first
    const HeaderField& e = *table_.at(pos);
    const std::uint32_t hn = detail::hash_name(e.name);
    index_entry(table_.inserted() - pos + 1, e, hn, detail::hash_field(hn, e.value));
  }
  indexed_upto_ = table_.inserted();
}

void Encoder::index_entry(std::uint64_t id, const HeaderField& entry, std::uint32_t name_hash,
                          std::uint32_t field_hash) {
  if (index_used_ + 2 > index_.size() / 2) return rebuild_index();
  index_key(id, entry, name_hash);
  index_key(id, entry, field_hash);
}

// Adds (hash -> id). A live slot with the same key is updated to the newer id instead.
void Encoder::index_key(std::uint64_t id, const HeaderField& entry, std::uint32_t hash) {
  const std::size_t mask = index_.size() - 1;
  const std::uint64_t inserted = table_.inserted();
  std::size_t free_slot = SIZE_MAX;
  std::size_t i = hash & mask;
  for (; index_[i].id != 0; i = (i + 1) & mask) {
    IndexSlot& s = index_[i];
    if (inserted - s.id >= table_.count()) {  // evicted: reusable
      if (free_slot == SIZE_MAX) free_slot = i;
      continue;
    }
    if (s.hash != hash) continue;
    const HeaderField* e = table_.at(static_cast<std::size_t>(inserted - s.id + 1));
    if (detail::equal(e->name, entry.name) &&
        ((hash & 1u) == 0 || detail::equal(e->value, entry.value))) {
      s.id = std::max(s.id, id);
      return;
    }
  }
  if (free_slot == SIZE_MAX) {
    free_slot = i;
    ++index_used_;
  }
  index_[free_slot] = IndexSlot{id, hash};
}

void Encoder::index_new_entries() {
  const std::uint64_t inserted = table_.inserted();
  const std::uint64_t oldest_live = inserted - table_.count() + 1;
  for (std::uint64_t id = std::max(indexed_upto_ + 1, oldest_live); id <= inserted; ++id) {
    const HeaderField& e = *table_.at(static_cast<std::size_t>(inserted - id + 1));
    const std::uint32_t hn = detail::hash_name(e.name);
    index_entry(id, e, hn, detail::hash_field(hn, e.value));
  }
  indexed_upto_ = inserted;
}

void Encoder::encode_field(Bytes& out, const HeaderField& field, const EncoderOptions& options) {
  Indexing indexing = choose_indexing(field, options, table_.max_size());
  const bool dynamic = options.use_dynamic_table;
  const std::uint32_t hn = detail::hash_name(field.name);
  bool exact = false;
  std::size_t name_index = detail::static_find_hashed(hn, field.name, field.value, &exact);
  if (exact && indexing != Indexing::kNever) return append_integer(out, 0x80, 7, name_index);
  const std::uint32_t hf = detail::hash_field(hn, field.value);
  if (dynamic && indexing != Indexing::kNever) {
    const std::size_t d = find_dynamic(hf, field.name, field.value, true);
    if (d != 0) return append_integer(out, 0x80, 7, kStaticTableSize + d);  // §6.1
  }
  if (name_index == 0 && dynamic) {
    const std::size_t d = find_dynamic(hn, field.name, {}, false);
    if (d != 0) name_index = kStaticTableSize + d;
  }
  if (!dynamic && indexing == Indexing::kIncremental) indexing = Indexing::kWithout;
  const std::size_t old = out.size();
  const std::size_t scale = options.huffman == HuffmanMode::kAlways ? 4 : 1;
  out.resize(old + 24 + scale * (field.name.size() + field.value.size()));
  std::uint8_t* p = out.data() + old;
  p += detail::write_integer(p, literal_flags(indexing),
                             indexing == Indexing::kIncremental ? 6 : 4, name_index);
  if (name_index == 0) p += detail::write_string(p, field.name, options.huffman);
  p += detail::write_string(p, field.value, options.huffman);
  out.resize(static_cast<std::size_t>(p - out.data()));
  if (indexing == Indexing::kIncremental) {
    table_.insert_copy(field.name, field.value);
    if (table_.count() != 0 && indexed_upto_ + 1 == table_.inserted()) {
      index_entry(table_.inserted(), *table_.at(1), hn, hf);
    }
    indexed_upto_ = table_.inserted();
  }
}

void Encoder::encode_into(Bytes& out, const HeaderList& fields, const EncoderOptions& options) {
  index_new_entries();
  if (pending_update_) {
    if (pending_min_ && *pending_min_ < *pending_update_) append_integer(out, 0x20, 5, *pending_min_);
    append_integer(out, 0x20, 5, *pending_update_);  // §6.3
    clear_pending_size_update();
  }
  for (const HeaderField& f : fields) encode_field(out, f, options);
}

Bytes Encoder::encode(const HeaderList& fields, const EncoderOptions& options) {
  Bytes out;
  out.reserve(fields.size() * 16);
  encode_into(out, fields, options);
  return out;
}

}  // namespace h2conform::hpack
