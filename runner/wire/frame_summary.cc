// summarize(): one line per frame for transcripts and CLI output.
#include <cstdio>
#include <string>

#include "runner/wire/frame.h"

namespace h2conform::wire {
namespace {

constexpr std::size_t kMaxQuoted = 64;

std::string bytes_note(const char* name, std::size_t n) {
  return std::string(" ") + name + "=" + std::to_string(n) + "B";
}

// Printable ASCII kept, the rest as \xNN; capped at kMaxQuoted octets.
template <typename Container>
std::string quoted(const Container& bytes) {
  std::string out = "\"";
  std::size_t n = 0;
  for (auto b : bytes) {
    if (n++ == kMaxQuoted) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(b);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

std::string padding_note(const std::optional<Padding>& p) {
  return p ? " pad=" + std::to_string(p->pad_length) : "";
}

std::string priority_note(const PriorityFields& p) {
  return " depends_on=" + std::to_string(p.stream_dependency) +
         " weight=" + std::to_string(p.weight) + (p.exclusive ? " exclusive" : "");
}

std::string describe(const DataFrame& f) { return bytes_note("data", f.data.size()) + padding_note(f.padding); }
std::string describe(const HeadersFrame& f) {
  return bytes_note("fragment", f.fragment.size()) +
         (f.priority ? priority_note(*f.priority) : "") + padding_note(f.padding);
}
std::string describe(const PriorityFrame& f) { return priority_note(f.priority); }
std::string describe(const RstStreamFrame& f) { return " error_code=" + error_code_name(f.error_code); }
std::string describe(const SettingsFrame& f) {
  std::string out;
  for (const Setting& s : f.settings) out += " " + setting_name(s.id) + "=" + std::to_string(s.value);
  return out;
}
std::string describe(const PushPromiseFrame& f) {
  return " promised_stream_id=" + std::to_string(f.promised_stream_id) +
         bytes_note("fragment", f.fragment.size()) + padding_note(f.padding);
}
std::string describe(const PingFrame& f) {
  std::string out = " opaque=";
  for (auto b : f.opaque) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}
std::string describe(const GoawayFrame& f) {
  return " last_stream_id=" + std::to_string(f.last_stream_id) +
         " error_code=" + error_code_name(f.error_code) +
         (f.debug_data.empty() ? "" : " debug=" + quoted(f.debug_data));
}
std::string describe(const WindowUpdateFrame& f) { return " increment=" + std::to_string(f.increment); }
std::string describe(const ContinuationFrame& f) { return bytes_note("fragment", f.fragment.size()); }
std::string describe(const PriorityUpdateFrame& f) {
  return " prioritized_stream_id=" + std::to_string(f.prioritized_stream_id) +
         " value=" + quoted(f.field_value);
}
std::string describe(const UnknownFrame& f) { return bytes_note("payload", f.payload.size()); }

}  // namespace

std::string summarize(const Frame& frame) {
  const FrameHeader& h = frame.header;
  std::string out = frame_type_name(payload_type(frame)) + " stream=" + std::to_string(h.stream_id);
  if (h.flags != 0) out += " flags=" + flags_to_string(h.type, h.flags);
  out += " len=" + std::to_string(h.length);
  if (h.reserved) out += " reserved_bit=1";
  out += std::visit([](const auto& f) { return describe(f); }, frame.payload);
  return out;
}

}  // namespace h2conform::wire
