// http2-frame-test-case reader: JSON <-> frame model, and the per-file check.
#include "runner/vectors/frame_vectors.h"

#include <fstream>
#include <sstream>

#include "runner/wire/hex.h"

namespace h2conform::vectors {
namespace {

using nlohmann::json;
using wire::Bytes;

// Octets as a string of code points U+0000..U+00FF, UTF-8 encoded so the JSON stays valid.
template <typename Container>
std::string octet_string(const Container& bytes) {
  std::string out;
  for (auto b : bytes) {
    const auto c = static_cast<unsigned char>(b);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

json padding_fields(json payload, const std::optional<wire::Padding>& p) {
  payload["padding_length"] = p ? json(p->pad_length) : json(nullptr);
  payload["padding"] = p ? json(octet_string(p->padding)) : json(nullptr);
  return payload;
}

json priority_fields(json payload, const std::optional<wire::PriorityFields>& p) {
  payload["stream_dependency"] = p ? json(p->stream_dependency) : json(nullptr);
  payload["exclusive"] = p ? json(p->exclusive) : json(nullptr);
  payload["weight"] = p ? json(p->weight) : json(nullptr);
  return payload;
}

json payload_json(const wire::DataFrame& f) {
  return padding_fields({{"data", octet_string(f.data)}}, f.padding);
}
json payload_json(const wire::HeadersFrame& f) {
  return padding_fields(
      priority_fields({{"header_block_fragment", octet_string(f.fragment)}}, f.priority),
      f.padding);
}
json payload_json(const wire::PriorityFrame& f) {
  return padding_fields(priority_fields(json::object(), f.priority), std::nullopt);
}
json payload_json(const wire::RstStreamFrame& f) { return {{"error_code", f.error_code}}; }
json payload_json(const wire::SettingsFrame& f) {
  json list = json::array();
  for (const auto& s : f.settings) list.push_back({s.id, s.value});
  return {{"settings", list}};
}
json payload_json(const wire::PushPromiseFrame& f) {
  return padding_fields({{"promised_stream_id", f.promised_stream_id},
                         {"header_block_fragment", octet_string(f.fragment)}},
                        f.padding);
}
json payload_json(const wire::PingFrame& f) { return {{"opaque_data", octet_string(f.opaque)}}; }
json payload_json(const wire::GoawayFrame& f) {
  return {{"last_stream_id", f.last_stream_id},
          {"error_code", f.error_code},
          {"additional_debug_data", octet_string(f.debug_data)}};
}
json payload_json(const wire::WindowUpdateFrame& f) {
  return {{"window_size_increment", f.increment}};
}
json payload_json(const wire::ContinuationFrame& f) {
  return {{"header_block_fragment", octet_string(f.fragment)}};
}
json payload_json(const wire::PriorityUpdateFrame& f) {  // not in the upstream format
  return {{"prioritized_stream_id", f.prioritized_stream_id},
          {"priority_field_value", octet_string(f.field_value)}};
}
json payload_json(const wire::UnknownFrame& f) {  // not in the upstream format
  return {{"payload", octet_string(f.payload)}};
}

// Equal, where an object key missing on one side counts as null (the format's vestigial
// `padding*` fields on PRIORITY may or may not be present).
bool vector_json_equal(const json& a, const json& b) {
  if (!a.is_object() || !b.is_object()) return a == b;
  for (const auto& [key, value] : a.items()) {
    if (!vector_json_equal(value, b.contains(key) ? b.at(key) : json(nullptr))) return false;
  }
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key) && !value.is_null()) return false;
  }
  return true;
}

std::optional<std::string> read_errors(const json& doc, std::vector<std::uint32_t>* out) {
  if (!doc.contains("error") || doc["error"].is_null()) return std::nullopt;
  if (!doc["error"].is_array()) return "`error` is neither null nor an array";
  for (const auto& code : doc["error"]) {
    if (!code.is_number_unsigned() || code.get<std::uint64_t>() > 0xffffffff) {
      return "`error` holds " + code.dump() + ", not an error code";
    }
    out->push_back(code.get<std::uint32_t>());
  }
  if (out->empty()) return "`error` is an empty array";
  return std::nullopt;
}

std::optional<std::string> fill_vector(const json& doc, FrameVector* v) {
  if (!doc.is_object()) return "top level is not a JSON object";
  if (!doc.contains("wire") || !doc["wire"].is_string()) return "`wire` is missing or not a string";
  auto bytes = wire::parse_hex(doc["wire"].get<std::string>());
  if (!bytes) return "`wire` is not hex";
  v->wire = std::move(*bytes);
  if (doc.contains("description") && doc["description"].is_string()) {
    v->description = doc["description"].get<std::string>();
  }
  if (auto problem = read_errors(doc, &v->errors)) return problem;
  v->frame = doc.contains("frame") ? doc["frame"] : json(nullptr);
  if (!v->frame.is_null() && !v->frame.is_object()) return "`frame` is neither null nor an object";
  if (v->frame.is_null() == v->errors.empty()) {
    return "exactly one of `frame` and `error` must be non-null";
  }
  return std::nullopt;
}

std::string codes_text(const std::vector<std::uint32_t>& codes) {
  std::string out;
  for (auto c : codes) out += (out.empty() ? "" : " or ") + wire::error_code_name(c);
  return out;
}

VectorCheck check_normal(const FrameVector& v, const wire::DecodeResult& r, std::size_t left_over) {
  VectorCheck c{false, "", decode_result_to_vector_json(r)};
  if (r.status != wire::DecodeStatus::kComplete) {
    c.mismatch = r.status == wire::DecodeStatus::kNeedMore
                     ? "wire is an incomplete frame"
                     : "expected a frame, got " + wire::to_string(r.error.code) + ": " + r.error.reason;
    return c;
  }
  if (left_over != 0) {
    c.mismatch = "wire holds " + std::to_string(left_over) + " octets after the frame";
  } else if (!vector_json_equal(c.actual["frame"], v.frame)) {
    c.mismatch = "decoded " + c.actual["frame"].dump() + ", expected " + v.frame.dump();
  } else if (auto again = wire::encode_frame(r.frame); again != v.wire) {
    c.mismatch = "re-encoding gives " + wire::to_hex(again) + ", wire is " + wire::to_hex(v.wire);
  }
  c.pass = c.mismatch.empty();
  return c;
}

}  // namespace

std::optional<FrameVector> parse_frame_vector(std::string_view json_text, std::string* problem) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {
    *problem = std::string("malformed JSON: ") + e.what();
    return std::nullopt;
  }
  FrameVector v;
  if (auto p = fill_vector(doc, &v)) {
    *problem = *p;
    return std::nullopt;
  }
  return v;
}

std::optional<FrameVector> load_frame_vector(const std::filesystem::path& path,
                                             std::string* problem) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    *problem = "cannot read file";
    return std::nullopt;
  }
  return parse_frame_vector(text.str(), problem);
}

wire::DecodeOptions frame_vector_decode_options() {
  return {.max_frame_size = wire::kDefaultMaxFrameSize, .reject_nonzero_padding = false};
}

wire::DecodeResult apply_client_rules(wire::DecodeResult r) {
  const auto* push = r.status == wire::DecodeStatus::kComplete
                         ? std::get_if<wire::PushPromiseFrame>(&r.frame.payload)
                         : nullptr;
  if (push == nullptr || (push->promised_stream_id != 0 && push->promised_stream_id % 2 == 0)) {
    return r;
  }
  r.status = wire::DecodeStatus::kError;
  r.error = wire::WireError{
      wire::ErrorCode::kProtocolError, 0,
      wire::kFrameHeaderSize + ((r.header.flags & wire::flags::kPadded) != 0 ? 1 : 0),
      "PUSH_PROMISE promised stream id " + std::to_string(push->promised_stream_id) +
          " is not a valid server-initiated (even, non-zero) id (RFC 9113 §6.6)"};
  return r;
}

nlohmann::json frame_to_vector_json(const wire::Frame& frame) {
  return {{"length", frame.header.length},
          {"type", frame.header.type},
          {"flags", frame.header.flags},
          {"stream_identifier", frame.header.stream_id},
          {"frame_payload", std::visit([](const auto& p) { return payload_json(p); }, frame.payload)}};
}

std::optional<wire::Bytes> octets_from_vector_string(const std::string& utf8) {
  Bytes out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out.push_back(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out.push_back(static_cast<std::uint8_t>(((c & 0x03) << 6) | (utf8[++i] & 0x3F)));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

nlohmann::json decode_result_to_vector_json(const wire::DecodeResult& r) {
  json out = {{"frame", nullptr}, {"error", nullptr}};
  if (r.status == wire::DecodeStatus::kComplete) {
    out["frame"] = frame_to_vector_json(r.frame);
  } else if (r.status == wire::DecodeStatus::kError) {
    out["error"] = json::array({static_cast<std::uint32_t>(r.error.code)});
    out["detail"] = {{"reason", r.error.reason},
                     {"scope_stream", r.error.scope_stream},
                     {"offset", r.error.offset}};
  } else {
    out["incomplete"] = true;
  }
  return out;
}

VectorCheck check_decoded(const FrameVector& v, const wire::DecodeResult& decoded,
                          std::size_t left_over) {
  const wire::DecodeResult r = apply_client_rules(decoded);
  if (!v.expects_error()) return check_normal(v, r, left_over);
  VectorCheck c{false, "", decode_result_to_vector_json(r)};
  if (r.status != wire::DecodeStatus::kError) {
    c.mismatch = "expected " + codes_text(v.errors) + ", got " +
                 (r.status == wire::DecodeStatus::kNeedMore ? std::string("an incomplete frame")
                                                             : summarize(r.frame));
    return c;
  }
  const auto code = static_cast<std::uint32_t>(r.error.code);
  c.pass = std::find(v.errors.begin(), v.errors.end(), code) != v.errors.end();
  if (!c.pass) {
    c.mismatch = "expected " + codes_text(v.errors) + ", got " + wire::error_code_name(code) +
                 ": " + r.error.reason;
  }
  return c;
}

VectorCheck check_frame_vector(const FrameVector& v) {
  const wire::DecodeResult r = wire::decode_frame(v.wire, frame_vector_decode_options());
  const std::size_t left_over = r.status == wire::DecodeStatus::kNeedMore ? v.wire.size()
                                                                           : v.wire.size() - std::min(r.consumed, v.wire.size());
  return check_decoded(v, r, left_over);
}

}  // namespace h2conform::vectors
