// HPACK (RFC 7541): decoder and encoder with one dynamic table each.
//
// Contract:
// - No I/O, no exceptions from peer bytes. One error convention: every decoding function
//   returns std::optional<HpackError> (nullopt: success) and writes its results through
//   pointer or reference parameters; internal helpers (internal.h) return status enums.
// - A decoder error is always a COMPRESSION_ERROR for the connection (RFC 7541 §2.3.3 /
//   RFC 9113 §4.3); the reason names the exact rule and the offset in the block.
// - The encoder can produce invalid encodings on purpose through BlockWriter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace h2conform::hpack {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline constexpr std::uint32_t kDefaultTableSize = 4096;  // RFC 7541 §4.2, RFC 9113 §6.5.2
inline constexpr std::size_t kEntryOverhead = 32;          // RFC 7541 §4.1
inline constexpr std::size_t kStaticTableSize = 61;        // RFC 7541 Appendix A

struct HeaderField {
  std::string name;
  std::string value;
  bool never_index = false;  // decoded from / to be encoded as "never indexed" (RFC 7541 §6.2.3)
  bool operator==(const HeaderField& o) const { return name == o.name && value == o.value; }
};
using HeaderList = std::vector<HeaderField>;

struct HpackError {
  std::size_t offset = 0;  // byte offset inside the header block
  std::string reason;      // e.g. "index 70 is past the end of the table (62 + 5 entries)"
};

// Static table, 1-based (RFC 7541 Appendix A). Index 0 and > 61 return nullptr.
const HeaderField* static_entry(std::size_t index);
// Lookup helpers for the encoder: exact (name,value) match and name-only match, 0 if none.
std::size_t static_find(std::string_view name, std::string_view value, bool* value_matched);

// Dynamic table with eviction (RFC 7541 §4). Entries live in a ring buffer whose slots keep
// their string capacity, so steady-state inserts do not allocate.
class DynamicTable {
 public:
  explicit DynamicTable(std::uint32_t max_size = kDefaultTableSize) : max_size_(max_size) {}
  void insert(std::string name, std::string value);  // evicts as needed; too large empties it
  // Same as insert, copying from views. The views must not point into this table.
  void insert_copy(std::string_view name, std::string_view value);
  void set_max_size(std::uint32_t max_size);         // evicts down to the new size
  std::uint32_t max_size() const { return max_size_; }
  std::size_t size() const { return size_; }  // sum of entry sizes (name + value + 32)
  std::size_t count() const { return count_; }
  // 1-based from the newest entry (HPACK index 62 is at(1)). nullptr when out of range.
  const HeaderField* at(std::size_t index) const {
    return index == 0 || index > count_ ? nullptr : &ring_[(head_ + index - 1) & mask_];
  }
  std::uint64_t evictions() const { return evictions_; }
  // Entries ever inserted. The entry inserted as number k (1-based) is at(inserted() - k + 1)
  // while inserted() - k < count().
  std::uint64_t inserted() const { return inserted_; }

 private:
  void evict_to(std::size_t target);
  void grow();
  std::vector<HeaderField> ring_;  // power-of-two capacity; head_ is the newest entry
  std::size_t mask_ = 0;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t size_ = 0;
  std::uint32_t max_size_;
  std::uint64_t evictions_ = 0;
  std::uint64_t inserted_ = 0;
};

// Prefix integers (RFC 7541 §5.1). decode_integer reads one integer from the start of `in`,
// sets *value and *used (the octets it took), or returns why it cannot: the input ends inside
// the integer, the value exceeds 2^32-1, or it takes more than 5 continuation octets.
void encode_integer(Bytes& out, std::uint8_t first_byte_flags, int prefix_bits, std::uint64_t value);
std::optional<HpackError> decode_integer(ByteView in, int prefix_bits, std::uint32_t* value,
                                         std::size_t* used);

// Huffman (RFC 7541 §5.2, Appendix B).
void huffman_encode(Bytes& out, std::string_view text);
std::size_t huffman_encoded_length(std::string_view text);
// Appends the decoded text, or returns why the string is invalid (EOS, padding longer than 7
// bits or not all ones; the error's offset is 0) and leaves `out` as it was.
std::optional<HpackError> huffman_decode(ByteView in, std::string& out);

struct DecoderLimits {
  std::size_t max_header_list_size = SIZE_MAX;  // RFC 9113 §6.5.2 accounting (name+value+32)
  std::size_t max_string_length = 1 << 20;      // any single name or value, after decoding
  std::size_t max_fields = 100000;              // fields in one block
};

class Decoder {
 public:
  explicit Decoder(DecoderLimits limits = {}) : limits_(limits) {}
  // The SETTINGS_HEADER_TABLE_SIZE we advertised and the peer acknowledged: the upper bound
  // for Dynamic Table Size Updates from now on (RFC 7541 §4.2). A limit below the table's
  // maximum size makes the next block (even an empty one) start with an update, the first of
  // which may not exceed the smallest limit set since the last block.
  void set_protocol_max_table_size(std::uint32_t size);
  // Sets both the limit and the table's current maximum size with no size update expected, as
  // when both ends agreed on the size out of band (the RFC 7541 Appendix C.5 examples).
  void reset_table_size(std::uint32_t size);
  // Decodes one complete header block; appends fields to *out. On error the table may hold
  // entries inserted before the error (the connection is dead anyway).
  std::optional<HpackError> decode(ByteView block, HeaderList* out);
  const DynamicTable& table() const { return table_; }

  // Field-by-field variant of decode(): calls sink(ctx, name, value, never_index) for each field
  // in block order. The views are valid only during the call; no allocation per field in
  // steady state. Fields before an error have already been delivered.
  using FieldSink = void (*)(void* ctx, std::string_view name, std::string_view value,
                             bool never_index);
  std::optional<HpackError> decode(ByteView block, FieldSink sink, void* ctx);
  template <class F>
  std::optional<HpackError> decode_each(ByteView block, F& f) {
    return decode(
        block,
        [](void* c, std::string_view n, std::string_view v, bool ni) {
          (*static_cast<F*>(c))(n, v, ni);
        },
        static_cast<void*>(&f));
  }

 private:
  struct Field;
  std::optional<HpackError> decode_one(ByteView block, std::size_t* pos, Field* field);
  std::optional<HpackError> read_string(ByteView block, std::size_t* pos, std::string* scratch,
                                        std::string_view* out);
  std::optional<HpackError> size_update(ByteView block, std::size_t* pos);
  DecoderLimits limits_;
  DynamicTable table_;
  std::uint32_t protocol_max_ = kDefaultTableSize;
  bool update_required_ = false;  // the limit fell below the table size (RFC 7541 §4.2)
  std::uint32_t smallest_limit_ = 0;  // while update_required_: the lowest limit since then
  std::string name_buf_;          // Huffman-decoded or copied strings, reused across fields
  std::string value_buf_;
};

enum class Indexing { kIncremental, kWithout, kNever };
enum class HuffmanMode { kAuto, kAlways, kNever };  // kAuto: Huffman when shorter

struct EncoderOptions {
  HuffmanMode huffman = HuffmanMode::kAuto;
  Indexing indexing = Indexing::kIncremental;  // for fields not found in a table
  bool use_dynamic_table = true;  // look up and insert into the dynamic table
  // Indexing choices as common HTTP/2 stacks make them: fields whose values rarely repeat
  // (:path, age, content-length, etag, if-modified-since, if-none-match, location,
  // set-cookie) and entries larger than 3/4 of the table go without indexing; authorization
  // and cookies shorter than 20 octets go never indexed. Off: `indexing` applies to all.
  bool selective_indexing = false;
};

// Low-level writer of representations, valid or not. It keeps the encoder's table in step for
// valid instructions (an invalid one, e.g. index 0, changes nothing).
class BlockWriter {
 public:
  explicit BlockWriter(DynamicTable* table) : table_(table) {}
  void indexed(std::uint64_t index);                      // §6.1, index 0 allowed on purpose
  void literal(std::string_view name, std::string_view value, Indexing indexing, bool huffman);
  void literal_indexed_name(std::uint64_t name_index, std::string_view value, Indexing indexing,
                            bool huffman);
  void size_update(std::uint64_t size);                   // §6.3, any value on purpose
  void raw(ByteView bytes);                               // verbatim bytes
  // A literal without indexing (new raw name) whose value is Huffman-coded wrongly: after the
  // codes (and EOS if embed_eos) come the fewest padding bits >= pad_bits that end on an octet
  // boundary (so pad_bits > 7 gives over-long padding), ones, or zeros if zero_padding.
  void literal_bad_huffman(std::string_view name, std::string_view value, int pad_bits,
                           bool zero_padding, bool embed_eos);
  // An integer with the given prefix: all prefix bits set, `continuation_bytes` octets 0xff,
  // then a final 0x7f. With 4 or more the value exceeds 2^32-1; with 5 or more the integer is
  // also longer than a decoder needs to accept (RFC 7541 §5.1).
  void overflowing_integer(std::uint8_t first_byte_flags, int prefix_bits, int continuation_bytes);
  Bytes take() { return std::move(out_); }
  const Bytes& bytes() const { return out_; }

 private:
  DynamicTable* table_;
  Bytes out_;
};

class Encoder {
 public:
  Encoder() = default;
  // Announces a new table size: the next block starts with a size update (RFC 7541 §4.2) and
  // the table is resized. Call after the peer's SETTINGS_HEADER_TABLE_SIZE is received.
  void set_max_table_size(std::uint32_t size);
  Bytes encode(const HeaderList& fields, const EncoderOptions& options = {});
  void encode_into(Bytes& out, const HeaderList& fields, const EncoderOptions& options = {});
  DynamicTable& table() { return table_; }
  const DynamicTable& table() const { return table_; }
  // Pending size update to emit at the start of the next block, if any.
  std::optional<std::uint32_t> pending_size_update() const { return pending_update_; }
  void clear_pending_size_update() {
    pending_update_.reset();
    pending_min_.reset();
  }

 private:
  struct IndexSlot {
    std::uint64_t id = 0;  // DynamicTable insertion number, 0 = never used
    std::uint32_t hash = 0;
  };
  void encode_field(Bytes& out, const HeaderField& field, const EncoderOptions& options);
  void index_new_entries();
  void index_entry(std::uint64_t id, const HeaderField& entry, std::uint32_t name_hash,
                   std::uint32_t field_hash);
  void index_key(std::uint64_t id, const HeaderField& entry, std::uint32_t hash);
  void rebuild_index();
  std::size_t find_dynamic(std::uint32_t hash, std::string_view name, std::string_view value,
                           bool match_value) const;
  DynamicTable table_;
  std::optional<std::uint32_t> pending_update_;
  std::optional<std::uint32_t> pending_min_;  // smallest size announced since the last block
  std::vector<IndexSlot> index_;              // open addressing over (name) and (name, value)
  std::size_t index_used_ = 0;
  std::uint64_t indexed_upto_ = 0;
};

}  // namespace h2conform::hpack
