// Frame header decoding and the checks common to all types, driven by the frame-type registry
// (frame_types.h): the size limit (RFC 9113 §4.2), which frames need or must not have a stream
// id, and the fixed or minimum payload lengths. The payload itself is decoded by the type's row.
#include <string>

#include "runner/wire/frame.h"
#include "runner/wire/frame_internal.h"
#include "runner/wire/frame_types.h"

namespace h2conform::wire {
namespace {

using internal::make_error;

// Stream-id rules are connection errors of type PROTOCOL_ERROR (offset 5: the stream id).
std::optional<WireError> check_stream_rule(const FrameTypeInfo& info, const FrameHeader& h) {
  if (info.stream_rule == StreamRule::kNonZero && h.stream_id == 0) {
    return make_error(ErrorCode::kProtocolError, 0, 5,
                      std::string(info.name) + " frame on stream 0 (" + std::string(info.section) +
                          ")");
  }
  if (info.stream_rule == StreamRule::kZero && h.stream_id != 0) {
    return make_error(ErrorCode::kProtocolError, 0, 5,
                      std::string(info.name) + " frame on stream " + std::to_string(h.stream_id) +
                          ", must be stream 0 (" + std::string(info.section) + ")");
  }
  return std::nullopt;
}

// The row's fixed or minimum length, for types without padding (padded types check their
// mandatory octets after the Pad Length, in the payload decoder). RFC 9113 §6.3-§6.9, RFC 9218
// §7.1: a FRAME_SIZE_ERROR.
std::optional<WireError> check_length(const FrameTypeInfo& info, const FrameHeader& h) {
  if (info.padded) return std::nullopt;
  const bool wrong = info.fixed_payload ? h.length != info.min_payload : h.length < info.min_payload;
  if (!wrong) return std::nullopt;
  return make_error(ErrorCode::kFrameSizeError, internal::frame_size_error_scope(h), 0,
                    std::string(info.name) + " payload length " + std::to_string(h.length) +
                        (info.fixed_payload ? " is not " : " is less than ") +
                        std::to_string(info.min_payload) + " (" + std::string(info.section) + ")");
}

// RFC 9113 §4.2: a frame longer than the SETTINGS_MAX_FRAME_SIZE we advertised.
WireError oversized_error(const FrameHeader& h, std::uint32_t limit) {
  return make_error(ErrorCode::kFrameSizeError, internal::frame_size_error_scope(h), 0,
                    frame_type_name(h.type) + " frame length " + std::to_string(h.length) +
                        " exceeds SETTINGS_MAX_FRAME_SIZE " + std::to_string(limit) +
                        " (RFC 9113 §4.2)");
}

// The checks every defined type shares, then its payload decoder; unknown types are kept
// verbatim (RFC 9113 §5.5).
std::optional<WireError> decode_payload(const FrameHeader& h, ByteView payload,
                                        const DecodeOptions& options, Payload& out) noexcept {
  const FrameTypeInfo* info = find_frame_type(h.type);
  if (info == nullptr) return internal::decode_unknown(h, payload, options, out);
  if (auto err = check_stream_rule(*info, h)) return err;
  if (auto err = check_length(*info, h)) return err;
  return info->decode(h, payload, options, out);
}

}  // namespace

namespace internal {

std::uint32_t frame_size_error_scope(const FrameHeader& header) noexcept {
  const FrameTypeInfo* info = find_frame_type(header.type);
  if (info != nullptr && info->size_error_scope == SizeErrorScope::kConnection) return 0;
  return header.stream_id;
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

void decode_frame(ByteView in, const DecodeOptions& options, DecodeResult& r) noexcept {
  r.status = DecodeStatus::kNeedMore;
  r.consumed = 0;
  if (in.size() < kFrameHeaderSize) return;
  r.header = decode_frame_header(in);
  const std::size_t total = kFrameHeaderSize + r.header.length;
  if (r.header.length > options.max_frame_size) {
    r.status = DecodeStatus::kError;
    r.error = oversized_error(r.header, options.max_frame_size);
    r.consumed = in.size() >= total ? total : 0;
    return;
  }
  if (in.size() < total) return;
  r.consumed = total;
  if (auto err = decode_payload(r.header, in.subspan(kFrameHeaderSize, r.header.length), options,
                                r.frame.payload)) {
    r.status = DecodeStatus::kError;
    r.error = std::move(*err);
    return;
  }
  r.status = DecodeStatus::kComplete;
  r.frame.header = r.header;
}

DecodeResult decode_frame(ByteView in, const DecodeOptions& options) noexcept {
  DecodeResult r;
  decode_frame(in, options, r);
  return r;
}

}  // namespace h2conform::wire
