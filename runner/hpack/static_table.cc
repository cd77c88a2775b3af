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

// Open addressing by name: each name maps to its run of consecutive entries (:status has 7).
struct StaticIndex {
  static constexpr std::size_t kSlots = 128;
  std::array<std::uint32_t, kSlots> hash{};
  std::array<std::uint8_t, kSlots> first{};  // 0 = empty
  std::array<std::uint8_t, kSlots> count{};
};

const StaticIndex& static_index() {
  static const StaticIndex idx = [] {
    StaticIndex x;
    for (std::size_t i = 0; i < kStaticTableSize; ++i) {
      const std::uint32_t h = detail::hash_name(entries()[i].name);
      std::size_t k = h & (StaticIndex::kSlots - 1);
      while (x.first[k] != 0 && entries()[x.first[k] - 1].name != entries()[i].name) {
        k = (k + 1) & (StaticIndex::kSlots - 1);
      }
      if (x.first[k] == 0) {
        x.hash[k] = h;
        x.first[k] = static_cast<std::uint8_t>(i + 1);
      }
      ++x.count[k];  // same-name entries are adjacent in Appendix A
    }
    return x;
  }();
  return idx;
}

}  // namespace

const HeaderField* static_entry(std::size_t index) {
  return index == 0 || index > kStaticTableSize ? nullptr : &entries()[index - 1];
}

std::size_t static_find(std::string_view name, std::string_view value, bool* value_matched) {
  bool matched = false;
  const std::size_t index = detail::static_find_hashed(detail::hash_name(name), name, value, &matched);
  if (value_matched != nullptr) *value_matched = matched;
  return index;
}

namespace detail {

std::size_t static_find_hashed(std::uint32_t name_hash, std::string_view name,
                               std::string_view value, bool* value_matched) {
  const StaticIndex& x = static_index();
  *value_matched = false;
  for (std::size_t k = name_hash & (StaticIndex::kSlots - 1); x.first[k] != 0;
       k = (k + 1) & (StaticIndex::kSlots - 1)) {
    const HeaderField* table = entries().data();
    if (x.hash[k] != name_hash || !detail::equal(table[x.first[k] - 1].name, name)) continue;
    for (std::size_t i = x.first[k]; i < std::size_t{x.first[k]} + x.count[k]; ++i) {
      if (detail::equal(table[i - 1].value, value)) {
        *value_matched = true;
        return i;
      }
    }
    return x.first[k];
  }
  return 0;
}

}  // namespace detail
}  // namespace h2conform::hpack
