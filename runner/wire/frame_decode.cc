// Frame header decoding, the per-type dispatch table and the checks common to all types:
// the size limit (RFC 9113 §4.2) and which frames need, or must not have, a stream id.
#include <string>

#include "runner/wire/frame.h"
#include "runner/wire/frame_internal.h"

namespace h2conform::wire {
namespace {

using internal::make_error;

enum class StreamRule { kAny, kNonZero, kZero };

struct TypeEntry {
  internal::PayloadDecoder decode = nullptr;
  StreamRule stream_rule = StreamRule::kAny;
  const char* section = "";  // where the stream-id rule is stated
};

constexpr std::size_t kTypeTableSize = 0x11;

// Indexed by frame type; a null decoder means "unknown type" (RFC 9113 §5.5: kept verbatim).
constexpr std::array<TypeEntry, kTypeTableSize> make_type_table() {
  std::array<TypeEntry, kTypeTableSize> t{};
  t[0x0] = {internal::decode_data, StreamRule::kNonZero, "RFC 9113 §6.1"};
  t[0x1] = {internal::decode_headers, StreamRule::kNonZero, "RFC 9113 §6.2"};
  t[0x2] = {internal::decode_priority, StreamRule::kNonZero, "RFC 9113 §6.3"};
  t[0x3] = {internal::decode_rst_stream, StreamRule::kNonZero, "RFC 9113 §6.4"};
  t[0x4] = {internal::decode_settings, StreamRule::kZero, "RFC 9113 §6.5"};
  t[0x5] = {internal::decode_push_promise, StreamRule::kNonZero, "RFC 9113 §6.6"};
  t[0x6] = {internal::decode_ping, StreamRule::kZero, "RFC 9113 §6.7"};
  t[0x7] = {internal::decode_goaway, StreamRule::kZero, "RFC 9113 §6.8"};
  t[0x8] = {internal::decode_window_update, StreamRule::kAny, "RFC 9113 §6.9"};
  t[0x9] = {internal::decode_continuation, StreamRule::kNonZero, "RFC 9113 §6.10"};
  t[0x10] = {internal::decode_priority_update, StreamRule::kZero, "RFC 9218 §7.1"};
  return t;
}
constexpr std::array<TypeEntry, kTypeTableSize> kTypeTable = make_type_table();

TypeEntry entry_for(std::uint8_t type) noexcept {
  if (type < kTypeTableSize && kTypeTable[type].decode != nullptr) return kTypeTable[type];
  return {internal::decode_unknown, StreamRule::kAny, "RFC 9113 §5.5"};
}

// Stream-id rules are connection errors of type PROTOCOL_ERROR (offset 5: the stream id).
std::optional<WireError> check_stream_rule(const TypeEntry& entry, const FrameHeader& h) {
  const std::string name = frame_type_name(h.type);
  if (entry.stream_rule == StreamRule::kNonZero && h.stream_id == 0) {
    return make_error(ErrorCode::kProtocolError, 0, 5,
                      name + " frame on stream 0 (" + entry.section + ")");
  }
  if (entry.stream_rule == StreamRule::kZero && h.stream_id != 0) {
    return make_error(ErrorCode::kProtocolError, 0, 5,
                      name + " frame on stream " + std::to_string(h.stream_id) +
                          ", must be stream 0 (" + entry.section + ")");
  }
  return std::nullopt;
}

// RFC 9113 §4.2: a frame longer than the SETTINGS_MAX_FRAME_SIZE we advertised.
WireError oversized_error(const FrameHeader& h, std::uint32_t limit) {
  return make_error(ErrorCode::kFrameSizeError, internal::frame_size_error_scope(h), 0,
                    frame_type_name(h.type) + " frame length " + std::to_string(h.length) +
                        " exceeds SETTINGS_MAX_FRAME_SIZE " + std::to_string(limit) +
                        " (RFC 9113 §4.2)");
}

}  // namespace

namespace internal {

std::uint32_t frame_size_error_scope(const FrameHeader& header) noexcept {
  switch (header.type) {
    case 0x1:  // HEADERS
    case 0x3:  // RST_STREAM: any other length than 4 is a connection error (§6.4)
    case 0x4:  // SETTINGS
    case 0x5:  // PUSH_PROMISE
    case 0x8:  // WINDOW_UPDATE: likewise (§6.9)
    case 0x9:  // CONTINUATION
      return 0;
    default:
      return header.stream_id;
  }
}

WireError make_error(ErrorCode code, std::uint32_t scope, std::size_t offset,
                     std::string reason) {
  WireError e;
  e.code = code;
  e.scope_stream = scope;
  e.offset = offset;
  e.reason = std::move(reason);
  return e;
}

}  // namespace internal

FrameHeader decode_frame_header(ByteView in) noexcept {
  FrameHeader h;
  h.length = internal::read_u24(in.data());
  h.type = in[3];
  h.flags = in[4];
  h.reserved = internal::read_high_bit(in.data() + 5);
  h.stream_id = internal::read_u31(in.data() + 5);
  return h;
}

DecodeResult decode_frame(ByteView in, const DecodeOptions& options) noexcept {
  DecodeResult r;
  if (in.size() < kFrameHeaderSize) return r;
  r.header = decode_frame_header(in);
  const std::size_t total = kFrameHeaderSize + r.header.length;
  if (r.header.length > options.max_frame_size) {
    r.status = DecodeStatus::kError;
    r.error = oversized_error(r.header, options.max_frame_size);
    r.consumed = in.size() >= total ? total : 0;
    return r;
  }
  if (in.size() < total) return r;
  r.consumed = total;
  const TypeEntry entry = entry_for(r.header.type);
  if (auto err = check_stream_rule(entry, r.header)) {
    r.status = DecodeStatus::kError;
    r.error = std::move(*err);
    return r;
  }
  internal::PayloadDecode d = entry.decode(r.header, in.subspan(kFrameHeaderSize, r.header.length),
                                           options);
  if (d.error) {
    r.status = DecodeStatus::kError;
    r.error = std::move(*d.error);
    return r;
  }
  r.status = DecodeStatus::kComplete;
  r.frame.header = r.header;
  r.frame.payload = std::move(d.payload);
  return r;
}

}  // namespace h2conform::wire
