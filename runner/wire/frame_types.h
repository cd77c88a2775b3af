// The frame-type registry: one row per frame type this codec defines (RFC 9113 §6, RFC 9218
// §7.1), holding every per-type fact the codec and the engine use, and the type's decode and
// encode functions. A new frame type is one row here, one payload struct in the Payload variant
// (frame.h), one PayloadType specialisation below, and its two functions.
//
// Contract: constexpr data and pure lookups; no allocation, no I/O. Types outside the table are
// "unknown" (RFC 9113 §5.5) and have no row.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "runner/wire/frame.h"

namespace h2conform::wire {

// RFC 9113 §6: whether a frame type is bound to a stream.
enum class StreamRule : std::uint8_t {
  kAny,      // stream 0 or a stream (WINDOW_UPDATE)
  kNonZero,  // stream 0 is a connection error of type PROTOCOL_ERROR
  kZero,     // any other stream is a connection error of type PROTOCOL_ERROR
};

// RFC 9113 §4.2: what a FRAME_SIZE_ERROR in this type is.
enum class SizeErrorScope : std::uint8_t {
  kConnection,  // carries a field block, is SETTINGS, is on stream 0, or §6.4/§6.9 say so
  kStream,      // a stream error on the frame's stream
};

struct FlagInfo {
  std::uint8_t bit;
  std::string_view name;  // RFC spelling, "END_STREAM"
};

namespace internal {
// The codec's per-type functions (frame_payload_decode.cc, frame_encode.cc); only the codec
// calls them. A decoder gets exactly header.length octets, after the stream-id rule and the
// length facts below were checked; it writes `out` or returns the error.
using PayloadDecodeFunction = std::optional<WireError>(const FrameHeader& header, ByteView payload,
                                                      const DecodeOptions& options,
                                                      Payload& out) noexcept;
using PayloadDecoder = PayloadDecodeFunction*;
struct EncodeContext;
using PayloadEncodeFunction = void(const Payload& payload, EncodeContext& context);
using PayloadEncoder = PayloadEncodeFunction*;

PayloadDecodeFunction decode_data, decode_headers, decode_priority, decode_rst_stream,
    decode_settings, decode_push_promise, decode_ping, decode_goaway, decode_window_update,
    decode_continuation, decode_priority_update, decode_unknown;
PayloadEncodeFunction encode_data, encode_headers, encode_priority, encode_rst_stream,
    encode_settings, encode_push_promise, encode_ping, encode_goaway, encode_window_update,
    encode_continuation, encode_priority_update, encode_unknown;
}  // namespace internal

struct FrameTypeInfo {
  FrameType type;
  std::string_view name;     // RFC spelling, "WINDOW_UPDATE"
  std::string_view section;  // where the type is defined, "RFC 9113 §6.9"
  StreamRule stream_rule;
  SizeErrorScope size_error_scope;
  std::uint32_t min_payload;  // mandatory octets, Pad Length and optional fields not counted
  bool fixed_payload;         // the payload is exactly min_payload octets
  std::span<const FlagInfo> flags;  // the flags the type defines, by ascending bit
  bool padded;       // may carry PADDED, Pad Length and padding (RFC 9113 §6.1)
  bool field_block;  // carries a field block fragment (RFC 9113 §4.3)
  internal::PayloadDecoder decode;
  internal::PayloadEncoder encode;

  constexpr std::uint8_t code() const { return static_cast<std::uint8_t>(type); }
  constexpr std::uint8_t flag_mask() const {
    std::uint8_t mask = 0;
    for (const FlagInfo& f : flags) mask = static_cast<std::uint8_t>(mask | f.bit);
    return mask;
  }
};

namespace registry_detail {
inline constexpr FlagInfo kEndStream{flags::kEndStream, "END_STREAM"};
inline constexpr FlagInfo kEndHeaders{flags::kEndHeaders, "END_HEADERS"};
inline constexpr FlagInfo kPadded{flags::kPadded, "PADDED"};
inline constexpr FlagInfo kPriority{flags::kPriority, "PRIORITY"};
inline constexpr FlagInfo kAck{flags::kAck, "ACK"};
inline constexpr FlagInfo kDataFlags[] = {kEndStream, kPadded};
inline constexpr FlagInfo kHeadersFlags[] = {kEndStream, kEndHeaders, kPadded, kPriority};
inline constexpr FlagInfo kAckFlags[] = {kAck};
inline constexpr FlagInfo kPushPromiseFlags[] = {kEndHeaders, kPadded};
inline constexpr FlagInfo kContinuationFlags[] = {kEndHeaders};
inline constexpr std::span<const FlagInfo> kNoFlags{};
}  // namespace registry_detail

// One row per defined type, in type-code order. Fields as in FrameTypeInfo: type, name, section;
// stream rule, size-error scope; min payload, fixed, flags, padded, field block; functions.
inline constexpr FrameTypeInfo kFrameTypes[] = {
    {FrameType::kData, "DATA", "RFC 9113 §6.1",
     StreamRule::kNonZero, SizeErrorScope::kStream,
     0, false, registry_detail::kDataFlags, true, false,
     internal::decode_data, internal::encode_data},
    {FrameType::kHeaders, "HEADERS", "RFC 9113 §6.2",
     StreamRule::kNonZero, SizeErrorScope::kConnection,
     0, false, registry_detail::kHeadersFlags, true, true,
     internal::decode_headers, internal::encode_headers},
    {FrameType::kPriority, "PRIORITY", "RFC 9113 §6.3",
     StreamRule::kNonZero, SizeErrorScope::kStream,
     5, true, registry_detail::kNoFlags, false, false,
     internal::decode_priority, internal::encode_priority},
    {FrameType::kRstStream, "RST_STREAM", "RFC 9113 §6.4",
     StreamRule::kNonZero, SizeErrorScope::kConnection,
     4, true, registry_detail::kNoFlags, false, false,
     internal::decode_rst_stream, internal::encode_rst_stream},
    {FrameType::kSettings, "SETTINGS", "RFC 9113 §6.5",
     StreamRule::kZero, SizeErrorScope::kConnection,
     0, false, registry_detail::kAckFlags, false, false,
     internal::decode_settings, internal::encode_settings},
    {FrameType::kPushPromise, "PUSH_PROMISE", "RFC 9113 §6.6",
     StreamRule::kNonZero, SizeErrorScope::kConnection,
     4, false, registry_detail::kPushPromiseFlags, true, true,
     internal::decode_push_promise, internal::encode_push_promise},
    {FrameType::kPing, "PING", "RFC 9113 §6.7",
     StreamRule::kZero, SizeErrorScope::kConnection,
     8, true, registry_detail::kAckFlags, false, false,
     internal::decode_ping, internal::encode_ping},
    {FrameType::kGoaway, "GOAWAY", "RFC 9113 §6.8",
     StreamRule::kZero, SizeErrorScope::kConnection,
     8, false, registry_detail::kNoFlags, false, false,
     internal::decode_goaway, internal::encode_goaway},
    {FrameType::kWindowUpdate, "WINDOW_UPDATE", "RFC 9113 §6.9",
     StreamRule::kAny, SizeErrorScope::kConnection,
     4, true, registry_detail::kNoFlags, false, false,
     internal::decode_window_update, internal::encode_window_update},
    {FrameType::kContinuation, "CONTINUATION", "RFC 9113 §6.10",
     StreamRule::kNonZero, SizeErrorScope::kConnection,
     0, false, registry_detail::kContinuationFlags, false, true,
     internal::decode_continuation, internal::encode_continuation},
    {FrameType::kPriorityUpdate, "PRIORITY_UPDATE", "RFC 9218 §7.1",
     StreamRule::kZero, SizeErrorScope::kConnection,
     4, false, registry_detail::kNoFlags, false, false,
     internal::decode_priority_update, internal::encode_priority_update},
};

namespace registry_detail {
inline constexpr std::uint8_t kNoRow = 0xff;
constexpr std::array<std::uint8_t, 256> make_row_index() {
  std::array<std::uint8_t, 256> index{};
  index.fill(kNoRow);
  for (std::size_t i = 0; i < std::size(kFrameTypes); ++i) {
    index[kFrameTypes[i].code()] = static_cast<std::uint8_t>(i);
  }
  return index;
}
inline constexpr std::array<std::uint8_t, 256> kRowIndex = make_row_index();
}  // namespace registry_detail

// The row of a type code; nullptr for an unknown type.
constexpr const FrameTypeInfo* find_frame_type(std::uint8_t type) noexcept {
  const std::uint8_t row = registry_detail::kRowIndex[type];
  return row == registry_detail::kNoRow ? nullptr : &kFrameTypes[row];
}
// The row of a defined type (every FrameType enumerator has one).
constexpr const FrameTypeInfo& frame_type_info(FrameType type) noexcept {
  return *find_frame_type(static_cast<std::uint8_t>(type));
}
// The row whose RFC spelling is `name` (case-sensitive); nullptr when none.
constexpr const FrameTypeInfo* find_frame_type(std::string_view name) noexcept {
  for (const FrameTypeInfo& info : kFrameTypes) {
    if (info.name == name) return &info;
  }
  return nullptr;
}
// The bit of the flag `name` that `type` defines ("PADDED" -> 0x8 for DATA); nullopt when the
// type is unknown or does not define it. Numbers are not accepted here (see parse_flag).
constexpr std::optional<std::uint8_t> find_flag(std::uint8_t type, std::string_view name) noexcept {
  const FrameTypeInfo* info = find_frame_type(type);
  if (info == nullptr) return std::nullopt;
  for (const FlagInfo& f : info->flags) {
    if (f.name == name) return f.bit;
  }
  return std::nullopt;
}
// The bits of `flags` that `type` does not define, the "unused flags" of RFC 9113 §4.1; 0 for
// an unknown type, whose flags only its own definition could name.
constexpr std::uint8_t unused_flags(std::uint8_t type, std::uint8_t flags) noexcept {
  const FrameTypeInfo* info = find_frame_type(type);
  if (info == nullptr) return 0;
  return static_cast<std::uint8_t>(flags & ~info->flag_mask());
}
// The RFC spelling of one flag bit that `type` defines; empty when it defines no such bit.
constexpr std::string_view flag_name(std::uint8_t type, std::uint8_t bit) noexcept {
  const FrameTypeInfo* info = find_frame_type(type);
  if (info == nullptr) return {};
  for (const FlagInfo& f : info->flags) {
    if (f.bit == bit) return f.name;
  }
  return {};
}

// The frame type each Payload alternative encodes as. UnknownFrame has none: its type is the
// frame's header.type.
template <typename T>
struct PayloadType;
template <> struct PayloadType<DataFrame> { static constexpr FrameType value = FrameType::kData; };
template <> struct PayloadType<HeadersFrame> { static constexpr FrameType value = FrameType::kHeaders; };
template <> struct PayloadType<PriorityFrame> { static constexpr FrameType value = FrameType::kPriority; };
template <> struct PayloadType<RstStreamFrame> { static constexpr FrameType value = FrameType::kRstStream; };
template <> struct PayloadType<SettingsFrame> { static constexpr FrameType value = FrameType::kSettings; };
template <> struct PayloadType<PushPromiseFrame> { static constexpr FrameType value = FrameType::kPushPromise; };
template <> struct PayloadType<PingFrame> { static constexpr FrameType value = FrameType::kPing; };
template <> struct PayloadType<GoawayFrame> { static constexpr FrameType value = FrameType::kGoaway; };
template <> struct PayloadType<WindowUpdateFrame> { static constexpr FrameType value = FrameType::kWindowUpdate; };
template <> struct PayloadType<ContinuationFrame> { static constexpr FrameType value = FrameType::kContinuation; };
template <> struct PayloadType<PriorityUpdateFrame> { static constexpr FrameType value = FrameType::kPriorityUpdate; };
template <typename T>
inline constexpr FrameType kPayloadType = PayloadType<T>::value;

namespace registry_detail {
// Every alternative but the last (UnknownFrame) maps to its own row, and every row to one
// alternative: the variant and the table describe the same set of types.
template <std::size_t... I>
constexpr bool payload_types_match_rows(std::index_sequence<I...>) {
  constexpr std::size_t n = sizeof...(I);
  const FrameType types[] = {kPayloadType<std::variant_alternative_t<I, Payload>>...};
  if (n != std::size(kFrameTypes)) return false;
  for (std::size_t i = 0; i < n; ++i) {
    // The row index, not find_frame_type() == nullptr: g++ with -fsanitize=undefined cannot
    // evaluate a comparison of an array element's address in a constant expression.
    if (kRowIndex[static_cast<std::uint8_t>(types[i])] == kNoRow) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (types[i] == types[j]) return false;
    }
  }
  return true;
}
static_assert(std::is_same_v<std::variant_alternative_t<std::variant_size_v<Payload> - 1, Payload>,
                             UnknownFrame>);
static_assert(payload_types_match_rows(std::make_index_sequence<std::variant_size_v<Payload> - 1>{}),
              "each Payload alternative needs a PayloadType and a row in kFrameTypes");
}  // namespace registry_detail

}  // namespace h2conform::wire
