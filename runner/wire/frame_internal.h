// Internal helpers shared by the wire codec's .cc files. Not part of the public interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "runner/wire/frame.h"
#include "runner/wire/frame_types.h"

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

// The scope of a FRAME_SIZE_ERROR (RFC 9113 §4.2), from the type's row: 0 (the connection) or
// the frame's stream. Unknown types on a stream are a stream error.
std::uint32_t frame_size_error_scope(const FrameHeader& header) noexcept;

WireError make_error(ErrorCode code, std::uint32_t scope, std::size_t offset, std::string reason);

}  // namespace h2conform::wire::internal
