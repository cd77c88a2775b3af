// Static table (RFC 7541 Appendix A) and its lookup for the encoder.
#include <array>

#include "runner/hpack/hpack.h"
#include "runner/hpack/internal.h"

namespace h2conform::hpack {
namespace {

const std::array<HeaderField, kStaticTableSize>& entries() {
  static const std::array<HeaderField, kStaticTableSize> table = {{
      {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"},
      {":path", "/index.html"}, {":scheme", "http"}, {":scheme", "https"}, {":status", "200"},
      {":status", "204"}, {":status", "206"}, {":status", "304"}, {":status", "400"},
      {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
      {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""},
      {"accept", ""}, {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""},
      {"authorization", ""}, {"cache-control", ""}, {"content-disposition", ""},
      {"content-encoding", ""}, {"content-language", ""}, {"content-length", ""},
      {"content-location", ""}, {"content-range", ""}, {"content-type", ""}, {"cookie", ""},
      {"date", ""}, {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
      {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
      {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""},
      {"max-forwards", ""}, {"proxy-authenticate", ""}, {"proxy-authorization", ""},
      {"range", ""}, {"referer", ""}, {"refresh", ""}, {"retry-after", ""}, {"server", ""},
      {"set-cookie", ""}, {"strict-transport-security", ""}, {"transfer-encoding", ""},
      {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
  }};
  return table;
}

// Open addressing over name keys (even hashes) and name+value keys (odd hashes).
struct StaticIndex {
  static constexpr std::size_t kSlots = 256;
  std::array<std::uint32_t, kSlots> hash{};
  std::array<std::uint8_t, kSlots> index{};  // 0 = empty

  void add(std::uint32_t h, std::uint8_t idx) {
    std::size_t i = h & (kSlots - 1);
    while (index[i] != 0) {
      if (hash[i] == h && same_key(h, index[i], idx)) return;  // keep the lowest index
      i = (i + 1) & (kSlots - 1);
    }
    hash[i] = h;
    index[i] = idx;
  }
  static bool same_key(std::uint32_t h, std::uint8_t a, std::uint8_t b) {
    const HeaderField& x = entries()[a - 1];
    const HeaderField& y = entries()[b - 1];
    return x.name == y.name && ((h & 1u) == 0 || x.value == y.value);
  }
};

const StaticIndex& static_index() {
  static const StaticIndex idx = [] {
    StaticIndex x;
    for (std::size_t i = 0; i < kStaticTableSize; ++i) {
      const HeaderField& f = entries()[i];
      const std::uint32_t hn = detail::hash_name(f.name);
      x.add(hn, static_cast<std::uint8_t>(i + 1));
      x.add(detail::hash_field(hn, f.value), static_cast<std::uint8_t>(i + 1));
    }
    return x;
  }();
  return idx;
}

std::size_t probe(std::uint32_t h, std::string_view name, std::string_view value) {
  const StaticIndex& x = static_index();
  for (std::size_t i = h & (StaticIndex::kSlots - 1); x.index[i] != 0;
       i = (i + 1) & (StaticIndex::kSlots - 1)) {
    if (x.hash[i] != h) continue;
    const HeaderField& f = entries()[x.index[i] - 1];
    if (f.name == name && ((h & 1u) == 0 || f.value == value)) return x.index[i];
  }
  return 0;
}

}  // namespace

const HeaderField* static_entry(std::size_t index) {
  return index == 0 || index > kStaticTableSize ? nullptr : &entries()[index - 1];
}

std::size_t static_find(std::string_view name, std::string_view value, bool* value_matched) {
  const std::uint32_t hn = detail::hash_name(name);
  return detail::static_find_hashed(hn, name, value, value_matched);
}

namespace detail {

std::size_t static_find_hashed(std::uint32_t name_hash, std::string_view name,
                               std::string_view value, bool* value_matched) {
  const std::size_t by_name = probe(name_hash, name, value);
  if (by_name != 0) {
    const std::size_t exact = probe(hash_field(name_hash, value), name, value);
    if (exact != 0) {
      if (value_matched != nullptr) *value_matched = true;
      return exact;
    }
  }
  if (value_matched != nullptr) *value_matched = false;
  return by_name;
}

}  // namespace detail
}  // namespace h2conform::hpack
