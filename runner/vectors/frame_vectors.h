// Reader and checker for the http2-frame-test-case vector format (JSON files with `wire`,
// `frame` or `error`; see the vectors README, section 2).
//
// Contract: pure functions over JSON text and bytes; no exceptions escape (a malformed file is
// reported through `problem`). Decoding follows the format's rules: default settings
// (SETTINGS_MAX_FRAME_SIZE 16384), non-zero padding accepted, PUSH_PROMISE decoded as a client.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/wire/frame.h"

namespace h2conform::vectors {

struct FrameVector {
  std::string description;
  wire::Bytes wire;
  nlohmann::json frame;                // the expected frame; null in error cases
  std::vector<std::uint32_t> errors;   // acceptable error codes; empty in normal cases
  bool expects_error() const { return frame.is_null(); }
};

// Parses one vector file's text. nullopt with *problem set ("`wire` is not hex", ...).
std::optional<FrameVector> parse_frame_vector(std::string_view json_text, std::string* problem);
// Reads and parses a file; *problem names what is wrong (unreadable, malformed JSON, ...).
std::optional<FrameVector> load_frame_vector(const std::filesystem::path& path,
                                             std::string* problem);

// Decode options the format prescribes.
wire::DecodeOptions frame_vector_decode_options();
// The format decodes as a client, a role the codec does not take: on top of the codec's syntax
// checks, a PUSH_PROMISE whose promised stream id is 0 or odd is a connection error of type
// PROTOCOL_ERROR (RFC 9113 §5.1.1, §6.6). Returns `result` with that applied.
wire::DecodeResult apply_client_rules(wire::DecodeResult result);

// The frame in the vector format: octet strings become JSON strings whose characters are the
// octets (U+0000..U+00FF), weight is 1..256, fields absent on the wire are null.
nlohmann::json frame_to_vector_json(const wire::Frame& frame);
// The reverse of the octet-string mapping; nullopt if a character is above U+00FF.
std::optional<wire::Bytes> octets_from_vector_string(const std::string& utf8);

// One decode outcome in the vector shape: {"frame": {...}|null, "error": [code]|null}, plus
// "detail" {"reason", "scope_stream", "offset"} on errors and "incomplete": true on need-more.
nlohmann::json decode_result_to_vector_json(const wire::DecodeResult& result);

struct VectorCheck {
  bool pass = false;
  std::string mismatch;  // empty when pass; otherwise what differs
  nlohmann::json actual; // decode_result_to_vector_json of what was decoded
};

// Checks one decode of `vector.wire` (client rules applied here). `left_over` is the count of bytes after the frame that
// were not consumed (must be 0 for a normal case). Normal cases also re-encode the frame and
// require byte equality with `wire`.
VectorCheck check_decoded(const FrameVector& vector, const wire::DecodeResult& result,
                          std::size_t left_over);
// Decodes `vector.wire` whole with frame_vector_decode_options() and checks it.
VectorCheck check_frame_vector(const FrameVector& vector);

}  // namespace h2conform::vectors
