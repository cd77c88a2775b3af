// One payload decoder per frame type (RFC 9113 §6, RFC 9218 §7.1). Each checks only what the
// frame's own bytes can tell: lengths, padding, fixed fields. Offsets count from the frame start.
#include <algorithm>
#include <string>

#include "runner/wire/frame.h"
#include "runner/wire/frame_internal.h"

namespace h2conform::wire::internal {
namespace {

constexpr std::size_t kPayloadStart = kFrameHeaderSize;

std::string str(std::size_t v) { return std::to_string(v); }

PayloadDecode fail(ErrorCode code, std::uint32_t scope, std::size_t offset, std::string reason) {
  PayloadDecode d;
  d.error = make_error(code, scope, offset, std::move(reason));
  return d;
}

PayloadDecode wrong_length(const FrameHeader& h, std::uint32_t scope, const char* want,
                           const char* section) {
  return fail(ErrorCode::kFrameSizeError, scope, 0,
              frame_type_name(h.type) + " payload length " + str(h.length) + " " + want + " (" +
                  section + ")");
}

Bytes to_bytes(ByteView v) { return Bytes(v.begin(), v.end()); }

PriorityFields read_priority(const std::uint8_t* p) {
  PriorityFields f;
  f.exclusive = read_high_bit(p);
  f.stream_dependency = read_u31(p);
  f.weight = static_cast<std::uint16_t>(p[4] + 1);  // RFC 9113 §6.3: weight is the octet plus one
  return f;
}

// The payload of a PADDED-capable frame with its Pad Length and padding removed.
struct Unpadded {
  ByteView body;
  std::optional<Padding> padding;
  std::optional<WireError> error;
};

WireError too_short(const FrameHeader& h, std::string what) {
  return make_error(ErrorCode::kFrameSizeError, frame_size_error_scope(h), 0,
                    frame_type_name(h.type) + " " + what + " (RFC 9113 §4.2)");
}

// RFC 9113 §6.1: Pad Length must leave room for the mandatory fields and be smaller than the
// payload. `payload` includes the Pad Length octet.
std::optional<WireError> check_pad_length(const FrameHeader& h, ByteView payload,
                                          std::size_t fixed) {
  const std::string name = frame_type_name(h.type);
  if (payload.empty()) return too_short(h, "has PADDED set but no room for Pad Length");
  const std::size_t pad = payload[0];
  if (pad >= payload.size()) {
    return make_error(ErrorCode::kProtocolError, 0, kPayloadStart,
                      name + " Pad Length " + str(pad) + " is not smaller than payload length " +
                          str(payload.size()) + " (RFC 9113 §6.1)");
  }
  if (payload.size() < 1 + fixed) {
    return too_short(h, "payload length " + str(payload.size()) +
                            " is shorter than Pad Length plus " + str(fixed) + " mandatory octets");
  }
  if (pad > payload.size() - 1 - fixed) {
    return make_error(ErrorCode::kProtocolError, 0, kPayloadStart,
                      name + " Pad Length " + str(pad) + " overlaps the " + str(fixed) +
                          " mandatory octets in a payload of " + str(payload.size()) +
                          " (RFC 9113 §6.1)");
  }
  return std::nullopt;
}

// RFC 9113 §6.1 MAY: non-zero padding as a connection error, only when asked.
std::optional<WireError> check_padding_zero(const FrameHeader& h, ByteView payload,
                                            std::size_t pad_start) {
  for (std::size_t i = pad_start; i < payload.size(); ++i) {
    if (payload[i] == 0) continue;
    return make_error(ErrorCode::kProtocolError, 0, kPayloadStart + i,
                      frame_type_name(h.type) + " padding octet " + str(i - pad_start) +
                          " is not zero (RFC 9113 §6.1)");
  }
  return std::nullopt;
}

// RFC 9113 §6.1, §6.2, §6.6. `fixed` is the number of mandatory octets that follow Pad Length.
Unpadded strip_padding(const FrameHeader& h, ByteView payload, std::size_t fixed,
                       const DecodeOptions& options) {
  Unpadded u;
  if ((h.flags & flags::kPadded) == 0) {
    if (payload.size() < fixed) {
      u.error = too_short(h, "payload length " + str(payload.size()) + " is shorter than " +
                                 str(fixed) + " mandatory octets");
    }
    u.body = payload;
    return u;
  }
  if ((u.error = check_pad_length(h, payload, fixed))) return u;
  const std::size_t pad_start = payload.size() - payload[0];
  if (options.reject_nonzero_padding && (u.error = check_padding_zero(h, payload, pad_start))) {
    return u;
  }
  u.padding = Padding{payload[0], to_bytes(payload.subspan(pad_start))};
  u.body = payload.subspan(1, pad_start - 1);
  return u;
}

std::size_t body_offset(const FrameHeader& h) {
  return kPayloadStart + ((h.flags & flags::kPadded) != 0 ? 1 : 0);
}

}  // namespace

PayloadDecode decode_data(const FrameHeader& h, ByteView p, const DecodeOptions& o) noexcept {
  Unpadded u = strip_padding(h, p, 0, o);
  if (u.error) return {{}, std::move(u.error)};
  return {DataFrame{to_bytes(u.body), std::move(u.padding)}, std::nullopt};
}

PayloadDecode decode_headers(const FrameHeader& h, ByteView p, const DecodeOptions& o) noexcept {
  const bool has_priority = (h.flags & flags::kPriority) != 0;
  Unpadded u = strip_padding(h, p, has_priority ? 5 : 0, o);
  if (u.error) return {{}, std::move(u.error)};
  HeadersFrame f;
  if (has_priority) {
    f.priority = read_priority(u.body.data());
    u.body = u.body.subspan(5);
  }
  f.fragment = to_bytes(u.body);
  f.padding = std::move(u.padding);
  return {std::move(f), std::nullopt};
}

PayloadDecode decode_priority(const FrameHeader& h, ByteView p, const DecodeOptions&) noexcept {
  // RFC 9113 §6.3: a PRIORITY frame of the wrong length is a *stream* error.
  if (p.size() != 5) return wrong_length(h, h.stream_id, "is not 5", "RFC 9113 §6.3");
  return {PriorityFrame{read_priority(p.data())}, std::nullopt};
}

PayloadDecode decode_rst_stream(const FrameHeader& h, ByteView p, const DecodeOptions&) noexcept {
  if (p.size() != 4) return wrong_length(h, 0, "is not 4", "RFC 9113 §6.4");
  return {RstStreamFrame{read_u32(p.data())}, std::nullopt};
}

PayloadDecode decode_settings(const FrameHeader& h, ByteView p, const DecodeOptions&) noexcept {
  if ((h.flags & flags::kAck) != 0 && !p.empty()) {
    return wrong_length(h, 0, "is not 0 with ACK", "RFC 9113 §6.5");
  }
  if (p.size() % 6 != 0) return wrong_length(h, 0, "is not a multiple of 6", "RFC 9113 §6.5");
  SettingsFrame f;
  f.settings.reserve(p.size() / 6);
  for (std::size_t i = 0; i < p.size(); i += 6) {
    f.settings.push_back(
        Setting{static_cast<std::uint16_t>(read_u16(p.data() + i)), read_u32(p.data() + i + 2)});
  }
  return {std::move(f), std::nullopt};
}

PayloadDecode decode_push_promise(const FrameHeader& h, ByteView p,
                                  const DecodeOptions& o) noexcept {
  Unpadded u = strip_padding(h, p, 4, o);
  if (u.error) return {{}, std::move(u.error)};
  PushPromiseFrame f;
  f.promised_reserved = read_high_bit(u.body.data());
  f.promised_stream_id = read_u31(u.body.data());
  // RFC 9113 §6.6 and §5.1.1: decoded as a client, so the promised id must be non-zero and even.
  if (f.promised_stream_id == 0 || f.promised_stream_id % 2 == 1) {
    return fail(ErrorCode::kProtocolError, 0, body_offset(h),
                "PUSH_PROMISE promised stream id " + str(f.promised_stream_id) +
                    " is not a valid server-initiated (even, non-zero) id (RFC 9113 §6.6)");
  }
  f.fragment = to_bytes(u.body.subspan(4));
  f.padding = std::move(u.padding);
  return {std::move(f), std::nullopt};
}

PayloadDecode decode_ping(const FrameHeader& h, ByteView p, const DecodeOptions&) noexcept {
  if (p.size() != 8) return wrong_length(h, 0, "is not 8", "RFC 9113 §6.7");
  PingFrame f;
  std::copy(p.begin(), p.end(), f.opaque.begin());
  return {f, std::nullopt};
}

PayloadDecode decode_goaway(const FrameHeader& h, ByteView p, const DecodeOptions&) noexcept {
  if (p.size() < 8) return wrong_length(h, 0, "is less than 8", "RFC 9113 §6.8");
  GoawayFrame f;
  f.last_reserved = read_high_bit(p.data());
  f.last_stream_id = read_u31(p.data());
  f.error_code = read_u32(p.data() + 4);
  f.debug_data = to_bytes(p.subspan(8));
  return {std::move(f), std::nullopt};
}

PayloadDecode decode_window_update(const FrameHeader& h, ByteView p,
                                   const DecodeOptions&) noexcept {
  if (p.size() != 4) return wrong_length(h, 0, "is not 4", "RFC 9113 §6.9");
  WindowUpdateFrame f{read_high_bit(p.data()), read_u31(p.data())};
  if (f.increment == 0) {
    // RFC 9113 §6.9: a stream error on a stream, a connection error on stream 0.
    return fail(ErrorCode::kProtocolError, h.stream_id, kPayloadStart,
                "WINDOW_UPDATE increment is 0 (RFC 9113 §6.9)");
  }
  return {f, std::nullopt};
}

PayloadDecode decode_continuation(const FrameHeader&, ByteView p, const DecodeOptions&) noexcept {
  return {ContinuationFrame{to_bytes(p)}, std::nullopt};
}

PayloadDecode decode_priority_update(const FrameHeader& h, ByteView p,
                                     const DecodeOptions&) noexcept {
  if (p.size() < 4) return wrong_length(h, 0, "is less than 4", "RFC 9218 §7.1");
  PriorityUpdateFrame f;
  f.prioritized_reserved = read_high_bit(p.data());
  f.prioritized_stream_id = read_u31(p.data());
  if (f.prioritized_stream_id == 0) {
    return fail(ErrorCode::kProtocolError, 0, kPayloadStart,
                "PRIORITY_UPDATE prioritized stream id is 0 (RFC 9218 §7.1)");
  }
  f.field_value.assign(p.begin() + 4, p.end());
  return {std::move(f), std::nullopt};
}

PayloadDecode decode_unknown(const FrameHeader&, ByteView p, const DecodeOptions&) noexcept {
  return {UnknownFrame{to_bytes(p)}, std::nullopt};
}

}  // namespace h2conform::wire::internal
