#include "runner/vectors/hpack_vectors.h"

#include <fstream>
#include <sstream>

namespace h2conform::vectors {
namespace {

using nlohmann::json;

std::optional<hpack::Bytes> hex_to_bytes(const std::string& hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  hpack::Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = digit(hex[2 * i]);
    const int lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string bytes_to_hex(hpack::ByteView bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// Octets as code points U+0000..U+00FF, UTF-8 encoded (ASCII stays as it is).
std::string octets_to_utf8(std::string_view octets) {
  std::string out;
  out.reserve(octets.size());
  for (unsigned char c : octets) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xc0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3f)));
    }
  }
  return out;
}

// Reads one case; returns a problem text or "".
std::string read_case(const json& c, std::size_t i, HpackCase* out) {
  const std::string where = "cases[" + std::to_string(i) + "]";
  if (!c.is_object()) return where + " is not an object";
  if (c.contains("seqno") && c["seqno"].is_number_integer()) out->seqno = c["seqno"].get<std::int64_t>();
  else out->seqno = static_cast<std::int64_t>(i);
  if (c.contains("header_table_size") && !c["header_table_size"].is_null()) {
    const json& t = c["header_table_size"];
    if (!t.is_number_unsigned() || t.get<std::uint64_t>() > UINT32_MAX) {
      return where + ".header_table_size is not an integer in 0..2^32-1";
    }
    out->header_table_size = t.get<std::uint32_t>();
  }
  if (!c.contains("wire") || !c["wire"].is_string()) return where + ".wire is missing or not a string";
  auto wire = hex_to_bytes(c["wire"].get<std::string>());
  if (!wire) return where + ".wire is not hex";
  out->wire = std::move(*wire);
  if (!c.contains("headers") || !c["headers"].is_array()) return where + ".headers is missing or not an array";
  for (std::size_t k = 0; k < c["headers"].size(); ++k) {
    const json& h = c["headers"][k];
    if (!h.is_object() || h.size() != 1 || !h.begin().value().is_string()) {
      return where + ".headers[" + std::to_string(k) + "] is not a one-member object with a string value";
    }
    out->headers.push_back({h.begin().key(), h.begin().value().get<std::string>()});
  }
  return "";
}

std::string field_text(const hpack::HeaderField& f) {
  return json::object({{octets_to_utf8(f.name), octets_to_utf8(f.value)}}).dump();
}

std::string compare_lists(const hpack::HeaderList& decoded, const hpack::HeaderList& expected) {
  const std::size_t n = std::min(decoded.size(), expected.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!(decoded[i] == expected[i])) {
      return "field " + std::to_string(i) + ": decoded " + field_text(decoded[i]) + ", expected " +
             field_text(expected[i]);
    }
  }
  if (decoded.size() != expected.size()) {
    return "decoded " + std::to_string(decoded.size()) + " fields, expected " +
           std::to_string(expected.size());
  }
  return "";
}

}  // namespace

std::optional<HpackStory> parse_hpack_story(std::string_view json_text, std::string* problem) {
  const json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded()) {
    *problem = "malformed JSON";
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("cases") || !j["cases"].is_array()) {
    *problem = "no `cases` array";
    return std::nullopt;
  }
  HpackStory story;
  if (j.contains("description") && j["description"].is_string()) {
    story.description = j["description"].get<std::string>();
  }
  for (std::size_t i = 0; i < j["cases"].size(); ++i) {
    HpackCase c;
    const std::string why = read_case(j["cases"][i], i, &c);
    if (!why.empty()) {
      *problem = why;
      return std::nullopt;
    }
    story.cases.push_back(std::move(c));
  }
  return story;
}

std::optional<HpackStory> load_hpack_story(const std::filesystem::path& path,
                                           std::string* problem) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *problem = "cannot read the file";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_hpack_story(text.str(), problem);
}

json headers_to_story_json(const hpack::HeaderList& headers) {
  json out = json::array();
  for (const auto& f : headers) out.push_back(json::object({{octets_to_utf8(f.name), octets_to_utf8(f.value)}}));
  return out;
}

HpackCaseResult check_hpack_case(hpack::Decoder& decoder, const HpackCase& c) {
  HpackCaseResult r;
  if (c.header_table_size) decoder.set_protocol_max_table_size(*c.header_table_size);
  r.error = decoder.decode(c.wire, &r.decoded);
  if (r.error) {
    r.mismatch = "decoding failed at offset " + std::to_string(r.error->offset) + ": " + r.error->reason;
    return r;
  }
  r.mismatch = compare_lists(r.decoded, c.headers);
  r.pass = r.mismatch.empty();
  return r;
}

std::vector<HpackCaseResult> check_hpack_story(const HpackStory& story) {
  hpack::Decoder decoder;
  std::vector<HpackCaseResult> out;
  out.reserve(story.cases.size());
  for (const HpackCase& c : story.cases) out.push_back(check_hpack_case(decoder, c));
  return out;
}

json hpack_result_to_json(const HpackCase& c, const HpackCaseResult& result) {
  json out = {{"seqno", c.seqno}, {"wire", bytes_to_hex(c.wire)},
              {"headers", headers_to_story_json(result.decoded)}};
  if (c.header_table_size) out["header_table_size"] = *c.header_table_size;
  if (result.error) out["error"] = {{"reason", result.error->reason}, {"offset", result.error->offset}};
  return out;
}

}  // namespace h2conform::vectors
