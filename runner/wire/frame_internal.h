// Internal helpers shared by the wire codec's .cc files. Not part of the public interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "runner/wire/frame.h"

namespace h2conform::wire::internal {

inline std::uint32_t read_u16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint32_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t read_u24(const std::uint8_t* p) noexcept {
  return (static_cast<std::uint32_t>(p[0]) << 16) | (static_cast<std::uint32_t>(p[1]) << 8) | p[2];
}
inline std::uint32_t read_u32(const std::uint8_t* p) noexcept {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}
// A 31-bit field preceded by a reserved (or E) bit.
inline bool read_high_bit(const std::uint8_t* p) noexcept { return (p[0] & 0x80) != 0; }
inline std::uint32_t read_u31(const std::uint8_t* p) noexcept { return read_u32(p) & 0x7fffffff; }

void append_u16(Bytes& out, std::uint32_t v);
void append_u24(Bytes& out, std::uint32_t v);
void append_u32(Bytes& out, std::uint32_t v);
void append_u31(Bytes& out, bool high_bit, std::uint32_t v);
void append_bytes(Bytes& out, ByteView bytes);

}  // namespace h2conform::wire::internal

namespace h2conform::wire::internal {

// One frame type's payload decoder: `payload` is exactly header.length octets (the frame minus
// its 9-octet header). Stream-id rules and the size limit are checked before it runs.
struct PayloadDecode {
  Payload payload;
  std::optional<WireError> error;
};
using PayloadDecoder = PayloadDecode (*)(const FrameHeader& header, ByteView payload,
                                         const DecodeOptions& options) noexcept;

PayloadDecode decode_data(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_headers(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_priority(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_rst_stream(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_settings(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_push_promise(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_ping(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_goaway(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_window_update(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_continuation(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_priority_update(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;
PayloadDecode decode_unknown(const FrameHeader&, ByteView, const DecodeOptions&) noexcept;

// The scope of a FRAME_SIZE_ERROR (RFC 9113 §4.2): the connection for frames carrying a field
// block, SETTINGS, anything on stream 0, and RST_STREAM and WINDOW_UPDATE (§6.4, §6.9);
// otherwise (DATA, PRIORITY, unknown types on a stream) the frame's stream.
std::uint32_t frame_size_error_scope(const FrameHeader& header) noexcept;

WireError make_error(ErrorCode code, std::uint32_t scope, std::size_t offset, std::string reason);

}  // namespace h2conform::wire::internal
