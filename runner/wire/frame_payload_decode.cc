// One payload decoder per frame type (RFC 9113 §6, RFC 9218 §7.1), named by the type's row in
// frame_types.h. Each checks only what the frame's own bytes can tell and the row does not:
// padding, type-specific lengths, fixed fields. Offsets count from the frame start.
#include <algorithm>
#include <string>

#include "runner/wire/frame.h"
#include "runner/wire/frame_internal.h"

namespace h2conform::wire::internal {
namespace {

constexpr std::size_t kPayloadStart = kFrameHeaderSize;

std::string str(std::size_t v) { return std::to_string(v); }

WireError wrong_length(const FrameHeader& h, const char* want, const char* section) {
  return make_error(ErrorCode::kFrameSizeError, frame_size_error_scope(h), 0,
                    frame_type_name(h.type) + " payload length " + str(h.length) + " " + want +
                        " (" + section + ")");
}

// The alternative T of `out`, reusing its storage when `out` already holds a T (a caller that
// decodes into the same result again keeps its buffers); every field is then assigned.
template <typename T>
T& reuse(Payload& out) {
  if (T* same = std::get_if<T>(&out)) return *same;
  return out.emplace<T>();
}

void assign(Bytes& to, ByteView from) { to.assign(from.begin(), from.end()); }

PriorityFields read_priority(const std::uint8_t* p) {
  PriorityFields f;
  f.exclusive = read_high_bit(p);
  f.stream_dependency = read_u31(p);
  f.weight = static_cast<std::uint16_t>(p[4] + 1);  // RFC 9113 §6.3: weight is the octet plus one
  return f;
}

// The payload of a PADDED-capable frame with its Pad Length and padding taken apart.
struct Unpadded {
  ByteView body;
  bool padded = false;
  ByteView padding;  // the padding octets, when padded
  std::optional<WireError> error;
};

// Writes what strip_padding found into a frame's `padding` field.
void assign_padding(std::optional<Padding>& to, const Unpadded& u) {
  if (!u.padded) {
    to.reset();
    return;
  }
  Padding& p = to ? *to : to.emplace();
  p.pad_length = static_cast<std::uint8_t>(u.padding.size());
  assign(p.padding, u.padding);
}

WireError too_short(const FrameHeader& h, std::string what) {
  return make_error(ErrorCode::kFrameSizeError, frame_size_error_scope(h), 0,
                    frame_type_name(h.type) + " " + what + " (RFC 9113 §4.2)");
}

// RFC 9113 §6.1: Pad Length must leave room for the mandatory fields and be smaller than the
// payload. `payload` includes the Pad Length octet.
std::optional<WireError> check_pad_length(const FrameHeader& h, ByteView payload,
                                          std::size_t fixed) {
  if (payload.empty()) return too_short(h, "has PADDED set but no room for Pad Length");
  const std::size_t pad = payload[0];
  if (pad >= payload.size()) {
    return make_error(ErrorCode::kProtocolError, 0, kPayloadStart,
                      frame_type_name(h.type) + " Pad Length " + str(pad) +
                          " is not smaller than payload length " + str(payload.size()) +
                          " (RFC 9113 §6.1)");
  }
  if (payload.size() < 1 + fixed) {
    return too_short(h, "payload length " + str(payload.size()) +
                            " is shorter than Pad Length plus " + str(fixed) + " mandatory octets");
  }
  if (pad > payload.size() - 1 - fixed) {
    return make_error(ErrorCode::kProtocolError, 0, kPayloadStart,
                      frame_type_name(h.type) + " Pad Length " + str(pad) + " overlaps the " +
                          str(fixed) + " mandatory octets in a payload of " +
                          str(payload.size()) + " (RFC 9113 §6.1)");
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
  u.padded = true;
  u.padding = payload.subspan(pad_start);
  u.body = payload.subspan(1, pad_start - 1);
  return u;
}

}  // namespace

std::optional<WireError> decode_data(const FrameHeader& h, ByteView p, const DecodeOptions& o,
                                     Payload& out) noexcept {
  Unpadded u = strip_padding(h, p, 0, o);
  if (u.error) return std::move(u.error);
  auto& f = reuse<DataFrame>(out);
  assign(f.data, u.body);
  assign_padding(f.padding, u);
  return std::nullopt;
}

std::optional<WireError> decode_headers(const FrameHeader& h, ByteView p, const DecodeOptions& o,
                                        Payload& out) noexcept {
  const bool has_priority = (h.flags & flags::kPriority) != 0;
  Unpadded u = strip_padding(h, p, has_priority ? 5 : 0, o);
  if (u.error) return std::move(u.error);
  auto& f = reuse<HeadersFrame>(out);
  f.priority.reset();
  if (has_priority) {
    f.priority = read_priority(u.body.data());
    u.body = u.body.subspan(5);
  }
  assign(f.fragment, u.body);
  assign_padding(f.padding, u);
  return std::nullopt;
}

// RFC 9113 §6.3: the row makes a PRIORITY of the wrong length a *stream* error.
std::optional<WireError> decode_priority(const FrameHeader&, ByteView p, const DecodeOptions&,
                                         Payload& out) noexcept {
  out.emplace<PriorityFrame>(PriorityFrame{read_priority(p.data())});
  return std::nullopt;
}

std::optional<WireError> decode_rst_stream(const FrameHeader&, ByteView p, const DecodeOptions&,
                                           Payload& out) noexcept {
  out.emplace<RstStreamFrame>(RstStreamFrame{read_u32(p.data())});
  return std::nullopt;
}

std::optional<WireError> decode_settings(const FrameHeader& h, ByteView p, const DecodeOptions&,
                                         Payload& out) noexcept {
  if ((h.flags & flags::kAck) != 0 && !p.empty()) {
    return wrong_length(h, "is not 0 with ACK", "RFC 9113 §6.5");
  }
  if (p.size() % 6 != 0) return wrong_length(h, "is not a multiple of 6", "RFC 9113 §6.5");
  auto& f = reuse<SettingsFrame>(out);
  f.settings.clear();
  f.settings.reserve(p.size() / 6);
  for (std::size_t i = 0; i < p.size(); i += 6) {
    f.settings.push_back(
        Setting{static_cast<std::uint16_t>(read_u16(p.data() + i)), read_u32(p.data() + i + 2)});
  }
  return std::nullopt;
}

// The promised id is taken as it is: which ids a receiver accepts depends on its role (a client
// expects even ones, RFC 9113 §5.1.1), which the engine judges.
std::optional<WireError> decode_push_promise(const FrameHeader& h, ByteView p,
                                             const DecodeOptions& o, Payload& out) noexcept {
  constexpr std::size_t kPromisedId = frame_type_info(FrameType::kPushPromise).min_payload;
  Unpadded u = strip_padding(h, p, kPromisedId, o);
  if (u.error) return std::move(u.error);
  auto& f = reuse<PushPromiseFrame>(out);
  f.promised_reserved = read_high_bit(u.body.data());
  f.promised_stream_id = read_u31(u.body.data());
  assign(f.fragment, u.body.subspan(kPromisedId));
  assign_padding(f.padding, u);
  return std::nullopt;
}

std::optional<WireError> decode_ping(const FrameHeader&, ByteView p, const DecodeOptions&,
                                     Payload& out) noexcept {
  auto& f = out.emplace<PingFrame>();
  std::copy(p.begin(), p.end(), f.opaque.begin());
  return std::nullopt;
}

std::optional<WireError> decode_goaway(const FrameHeader&, ByteView p, const DecodeOptions&,
                                       Payload& out) noexcept {
  auto& f = reuse<GoawayFrame>(out);
  f.last_reserved = read_high_bit(p.data());
  f.last_stream_id = read_u31(p.data());
  f.error_code = read_u32(p.data() + 4);
  assign(f.debug_data, p.subspan(8));
  return std::nullopt;
}

std::optional<WireError> decode_window_update(const FrameHeader& h, ByteView p,
                                              const DecodeOptions&, Payload& out) noexcept {
  const std::uint32_t increment = read_u31(p.data());
  if (increment == 0) {
    // RFC 9113 §6.9: a stream error on a stream, a connection error on stream 0.
    return make_error(ErrorCode::kProtocolError, h.stream_id, kPayloadStart,
                      "WINDOW_UPDATE increment is 0 (RFC 9113 §6.9)");
  }
  out.emplace<WindowUpdateFrame>(WindowUpdateFrame{read_high_bit(p.data()), increment});
  return std::nullopt;
}

std::optional<WireError> decode_continuation(const FrameHeader&, ByteView p, const DecodeOptions&,
                                             Payload& out) noexcept {
  assign(reuse<ContinuationFrame>(out).fragment, p);
  return std::nullopt;
}

std::optional<WireError> decode_priority_update(const FrameHeader&, ByteView p,
                                                const DecodeOptions&, Payload& out) noexcept {
  const std::uint32_t prioritized = read_u31(p.data());
  if (prioritized == 0) {
    return make_error(ErrorCode::kProtocolError, 0, kPayloadStart,
                      "PRIORITY_UPDATE prioritized stream id is 0 (RFC 9218 §7.1)");
  }
  auto& f = reuse<PriorityUpdateFrame>(out);
  f.prioritized_reserved = read_high_bit(p.data());
  f.prioritized_stream_id = prioritized;
  f.field_value.assign(p.begin() + 4, p.end());
  return std::nullopt;
}

std::optional<WireError> decode_unknown(const FrameHeader&, ByteView p, const DecodeOptions&,
                                        Payload& out) noexcept {
  assign(reuse<UnknownFrame>(out).payload, p);
  return std::nullopt;
}

}  // namespace h2conform::wire::internal
