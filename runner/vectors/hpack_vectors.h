// Reader and checker for the hpack-test-case story format (JSON files with `cases`, each with
// `wire`, `headers` and an optional `header_table_size`; see the vectors README, section 1).
//
// Contract: pure functions over JSON text and bytes; no exceptions escape (a malformed file is
// reported through `problem`). All cases of one story share one decoder. A case's
// header_table_size is the SETTINGS_HEADER_TABLE_SIZE acknowledged just before its block: it
// becomes the decoder's limit for Dynamic Table Size Updates (RFC 7541 §4.2, §6.3).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/hpack/hpack.h"

namespace h2conform::vectors {

struct HpackCase {
  std::int64_t seqno = 0;
  std::optional<std::uint32_t> header_table_size;  // absent or null: unchanged
  hpack::Bytes wire;
  hpack::HeaderList headers;  // expected; order and duplicates kept
};

struct HpackStory {
  std::string description;
  std::vector<HpackCase> cases;
};

// Parses one story's text. nullopt with *problem set ("cases[3].wire is not hex", ...).
std::optional<HpackStory> parse_hpack_story(std::string_view json_text, std::string* problem);
// Reads and parses a file; *problem names what is wrong (unreadable, malformed JSON, ...).
std::optional<HpackStory> load_hpack_story(const std::filesystem::path& path,
                                           std::string* problem);

// A header list in the story shape: [{"name": "value"}, ...]. Octets above 0x7f are written
// as the code points U+0080..U+00FF so that any list renders.
nlohmann::json headers_to_story_json(const hpack::HeaderList& headers);

struct HpackCaseResult {
  bool pass = false;
  std::string mismatch;                  // empty when pass; otherwise what differs
  std::optional<hpack::HpackError> error;  // the decoder's error, if any
  hpack::HeaderList decoded;             // fields decoded (up to the error)
};

// Applies the case's header_table_size to `decoder`, decodes its wire and compares the result
// with its headers. Use one decoder for all cases of a story, in order.
HpackCaseResult check_hpack_case(hpack::Decoder& decoder, const HpackCase& c);
// Every case of a story with one fresh decoder.
std::vector<HpackCaseResult> check_hpack_story(const HpackStory& story);

// One case's outcome as a JSON object in the story shape: {"seqno", "wire", "headers"} plus
// "error": {"reason", "offset"} when decoding failed.
nlohmann::json hpack_result_to_json(const HpackCase& c, const HpackCaseResult& result);

}  // namespace h2conform::vectors
