// One payload encoder per frame type, found through the frame-type registry (frame_types.h) by
// the payload alternative's PayloadType, plus the header writer and the deliberate-wrongness
// overrides (EncodeOverrides).
#include <algorithm>

#include "runner/wire/frame.h"
#include "runner/wire/frame_internal.h"
#include "runner/wire/frame_types.h"

namespace h2conform::wire {

namespace internal {
struct EncodeContext {
  const EncodeOverrides& overrides;
  std::uint8_t flags;  // starts as header.flags; encoders set PADDED and PRIORITY
  Bytes payload;
};
}  // namespace internal

namespace {

using internal::append_bytes;
using internal::append_u16;
using internal::append_u31;
using internal::append_u32;
using internal::EncodeContext;

void set_flag(EncodeContext& c, std::uint8_t bit, bool on) {
  c.flags = static_cast<std::uint8_t>(on ? (c.flags | bit) : (c.flags & ~bit));
}

// Writes the Pad Length octet (RFC 9113 §6.1) when the frame has padding, or when an override
// asks for one on an unpadded frame; PADDED follows.
void begin_padding(EncodeContext& c, const std::optional<Padding>& padding) {
  const bool padded = padding.has_value() || c.overrides.pad_length.has_value();
  set_flag(c, flags::kPadded, padded);
  if (!padded) return;
  c.payload.push_back(c.overrides.pad_length.value_or(padding ? padding->pad_length : 0));
}

void end_padding(EncodeContext& c, const std::optional<Padding>& padding) {
  if (padding) append_bytes(c.payload, padding->padding);
}

void append_priority(Bytes& out, const PriorityFields& p) {
  append_u31(out, p.exclusive, p.stream_dependency);
  out.push_back(static_cast<std::uint8_t>(p.weight - 1));  // RFC 9113 §6.3: weight minus one
}

void append_header(Bytes& out, std::uint32_t length, std::uint8_t type, std::uint8_t flags,
                   bool reserved, std::uint32_t stream_id) {
  internal::append_u24(out, length & 0xffffff);
  out.push_back(type);
  out.push_back(flags);
  append_u31(out, reserved, stream_id);
}

// The encoder of the payload's alternative: its PayloadType's row, or the verbatim one.
internal::PayloadEncoder encoder_of(const Payload& payload) {
  return std::visit(
      [](const auto& p) -> internal::PayloadEncoder {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, UnknownFrame>) {
          return internal::encode_unknown;
        } else {
          return frame_type_info(kPayloadType<T>).encode;
        }
      },
      payload);
}

}  // namespace

namespace internal {

void encode_data(const Payload& p, EncodeContext& c) {
  const auto& f = std::get<DataFrame>(p);
  begin_padding(c, f.padding);
  append_bytes(c.payload, f.data);
  end_padding(c, f.padding);
}

void encode_headers(const Payload& p, EncodeContext& c) {
  const auto& f = std::get<HeadersFrame>(p);
  begin_padding(c, f.padding);
  set_flag(c, flags::kPriority, f.priority.has_value());
  if (f.priority) append_priority(c.payload, *f.priority);
  append_bytes(c.payload, f.fragment);
  end_padding(c, f.padding);
}

void encode_priority(const Payload& p, EncodeContext& c) {
  append_priority(c.payload, std::get<PriorityFrame>(p).priority);
}

void encode_rst_stream(const Payload& p, EncodeContext& c) {
  append_u32(c.payload, std::get<RstStreamFrame>(p).error_code);
}

void encode_settings(const Payload& p, EncodeContext& c) {
  for (const Setting& s : std::get<SettingsFrame>(p).settings) {
    append_u16(c.payload, s.id);
    append_u32(c.payload, s.value);
  }
}

void encode_push_promise(const Payload& p, EncodeContext& c) {
  const auto& f = std::get<PushPromiseFrame>(p);
  begin_padding(c, f.padding);
  append_u31(c.payload, f.promised_reserved, f.promised_stream_id);
  append_bytes(c.payload, f.fragment);
  end_padding(c, f.padding);
}

void encode_ping(const Payload& p, EncodeContext& c) {
  append_bytes(c.payload, std::get<PingFrame>(p).opaque);
}

void encode_goaway(const Payload& p, EncodeContext& c) {
  const auto& f = std::get<GoawayFrame>(p);
  append_u31(c.payload, f.last_reserved, f.last_stream_id);
  append_u32(c.payload, f.error_code);
  append_bytes(c.payload, f.debug_data);
}

void encode_window_update(const Payload& p, EncodeContext& c) {
  const auto& f = std::get<WindowUpdateFrame>(p);
  append_u31(c.payload, f.increment_reserved, f.increment);
}

void encode_continuation(const Payload& p, EncodeContext& c) {
  append_bytes(c.payload, std::get<ContinuationFrame>(p).fragment);
}

void encode_priority_update(const Payload& p, EncodeContext& c) {
  const auto& f = std::get<PriorityUpdateFrame>(p);
  append_u31(c.payload, f.prioritized_reserved, f.prioritized_stream_id);
  c.payload.insert(c.payload.end(), f.field_value.begin(), f.field_value.end());
}

void encode_unknown(const Payload& p, EncodeContext& c) {
  append_bytes(c.payload, std::get<UnknownFrame>(p).payload);
}

void append_u16(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
void append_u24(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  append_u16(out, v & 0xffff);
}
void append_u32(Bytes& out, std::uint32_t v) {
  append_u16(out, v >> 16);
  append_u16(out, v & 0xffff);
}
void append_u31(Bytes& out, bool high_bit, std::uint32_t v) {
  append_u32(out, (v & 0x7fffffff) | (high_bit ? 0x80000000u : 0u));
}
void append_bytes(Bytes& out, ByteView bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

}  // namespace internal

std::uint8_t payload_type(const Frame& frame) {
  return std::visit(
      [&](const auto& payload) -> std::uint8_t {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, UnknownFrame>) {
          return frame.header.type;
        } else {
          return static_cast<std::uint8_t>(kPayloadType<T>);
        }
      },
      frame.payload);
}

void append_frame(Bytes& out, const Frame& frame, const EncodeOverrides& overrides) {
  EncodeContext c{overrides, frame.header.flags, {}};
  encoder_of(frame.payload)(frame.payload, c);
  if (overrides.truncate_payload && *overrides.truncate_payload < c.payload.size()) {
    c.payload.resize(*overrides.truncate_payload);
  }
  append_bytes(c.payload, overrides.append_payload);
  const auto real_length = static_cast<std::uint32_t>(
      std::min<std::size_t>(c.payload.size(), kMaxAllowedFrameSize));
  append_header(out, overrides.length.value_or(real_length),
                overrides.type.value_or(payload_type(frame)), overrides.flags.value_or(c.flags),
                overrides.reserved.value_or(frame.header.reserved), frame.header.stream_id);
  append_bytes(out, c.payload);
}

Bytes encode_frame(const Frame& frame, const EncodeOverrides& overrides) {
  Bytes out;
  append_frame(out, frame, overrides);
  return out;
}

}  // namespace h2conform::wire
