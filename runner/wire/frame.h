// HTTP/2 frame model, decoder and encoder (RFC 9113 §4, §6; RFC 9218 §7.1).
//
// Contract:
// - Pure functions over byte spans: no I/O, no clocks, no globals, no exceptions.
// - The decoder checks syntax only (lengths, padding, stream-zero rules, the
//   size limit it is given). Whether a frame is allowed *now*, or from this peer's role (a
//   PUSH_PROMISE's promised id), is the engine's job.
// - Per-type facts (names, flags, stream-id rules, lengths) live in one registry, frame_types.h.
// - "Need more bytes" is never an error.
// - The encoder writes whatever it is asked to, including deliberately wrong
//   frames (see EncodeOverrides), so that cases can probe a peer's checks.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace h2conform::wire {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline constexpr std::size_t kFrameHeaderSize = 9;
// The client connection preface's magic, before its SETTINGS frame (RFC 9113 §3.4).
inline constexpr std::string_view kClientMagic = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
inline constexpr std::uint32_t kDefaultMaxFrameSize = 16384;      // RFC 9113 §6.5.2
inline constexpr std::uint32_t kMaxAllowedFrameSize = 16777215;   // 2^24-1
inline constexpr std::uint32_t kMaxStreamId = 0x7fffffff;
inline constexpr std::uint32_t kMaxWindowSize = 0x7fffffff;       // 2^31-1, RFC 9113 §6.9.1

enum class FrameType : std::uint8_t {
  kData = 0x0,
  kHeaders = 0x1,
  kPriority = 0x2,
  kRstStream = 0x3,
  kSettings = 0x4,
  kPushPromise = 0x5,
  kPing = 0x6,
  kGoaway = 0x7,
  kWindowUpdate = 0x8,
  kContinuation = 0x9,
  kPriorityUpdate = 0x10,  // RFC 9218 §7.1
};

// RFC 9113 §7. Unknown codes travel as plain uint32_t; this enum names the defined ones.
enum class ErrorCode : std::uint32_t {
  kNoError = 0x0,
  kProtocolError = 0x1,
  kInternalError = 0x2,
  kFlowControlError = 0x3,
  kSettingsTimeout = 0x4,
  kStreamClosed = 0x5,
  kFrameSizeError = 0x6,
  kRefusedStream = 0x7,
  kCancel = 0x8,
  kCompressionError = 0x9,
  kConnectError = 0xa,
  kEnhanceYourCalm = 0xb,
  kInadequateSecurity = 0xc,
  kHttp11Required = 0xd,
};

// RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1.
enum class SettingId : std::uint16_t {
  kHeaderTableSize = 0x1,
  kEnablePush = 0x2,
  kMaxConcurrentStreams = 0x3,
  kInitialWindowSize = 0x4,
  kMaxFrameSize = 0x5,
  kMaxHeaderListSize = 0x6,
  kEnableConnectProtocol = 0x8,
  kNoRfc7540Priorities = 0x9,
};

namespace flags {
inline constexpr std::uint8_t kEndStream = 0x1;
inline constexpr std::uint8_t kAck = 0x1;
inline constexpr std::uint8_t kEndHeaders = 0x4;
inline constexpr std::uint8_t kPadded = 0x8;
inline constexpr std::uint8_t kPriority = 0x20;
}  // namespace flags

// RFC spellings ("PROTOCOL_ERROR", "WINDOW_UPDATE", "SETTINGS_MAX_FRAME_SIZE").
// Unknown values render as "0x1f" style hex.
std::string to_string(FrameType type);
std::string frame_type_name(std::uint8_t type);
std::string to_string(ErrorCode code);
std::string error_code_name(std::uint32_t code);
std::string setting_name(std::uint16_t id);
// Parse the RFC spelling (case-sensitive) or a number ("0x1", "7"). nullopt when neither.
std::optional<std::uint8_t> parse_frame_type(std::string_view text);
std::optional<std::uint32_t> parse_error_code(std::string_view text);
// Accepts "SETTINGS_MAX_FRAME_SIZE", "MAX_FRAME_SIZE" or a number.
std::optional<std::uint16_t> parse_setting_id(std::string_view text);
// Flag names for a type ("END_STREAM", "ACK", "END_HEADERS", "PADDED", "PRIORITY").
std::optional<std::uint8_t> parse_flag(std::uint8_t type, std::string_view name);
std::string flags_to_string(std::uint8_t type, std::uint8_t flags);  // "END_STREAM|0x40", "0x0"

struct FrameHeader {
  std::uint32_t length = 0;  // 24 bits on the wire
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  bool reserved = false;  // the R bit before the stream id
  std::uint32_t stream_id = 0;  // 31 bits
  bool operator==(const FrameHeader&) const = default;
};

struct Padding {
  std::uint8_t pad_length = 0;  // the Pad Length octet
  Bytes padding;                // the padding octets themselves
  bool operator==(const Padding&) const = default;
};

struct PriorityFields {
  bool exclusive = false;
  std::uint32_t stream_dependency = 0;
  std::uint16_t weight = 16;  // 1..256: the wire octet plus one
  bool operator==(const PriorityFields&) const = default;
};

struct DataFrame {
  Bytes data;
  std::optional<Padding> padding;  // set iff PADDED
  bool operator==(const DataFrame&) const = default;
};
struct HeadersFrame {
  Bytes fragment;
  std::optional<Padding> padding;          // set iff PADDED
  std::optional<PriorityFields> priority;  // set iff PRIORITY flag
  bool operator==(const HeadersFrame&) const = default;
};
struct PriorityFrame {
  PriorityFields priority;
  bool operator==(const PriorityFrame&) const = default;
};
struct RstStreamFrame {
  std::uint32_t error_code = 0;
  bool operator==(const RstStreamFrame&) const = default;
};
struct Setting {
  std::uint16_t id = 0;
  std::uint32_t value = 0;
  bool operator==(const Setting&) const = default;
};
struct SettingsFrame {
  std::vector<Setting> settings;  // wire order, duplicates kept
  bool operator==(const SettingsFrame&) const = default;
};
struct PushPromiseFrame {
  bool promised_reserved = false;
  std::uint32_t promised_stream_id = 0;
  Bytes fragment;
  std::optional<Padding> padding;
  bool operator==(const PushPromiseFrame&) const = default;
};
struct PingFrame {
  std::array<std::uint8_t, 8> opaque{};
  bool operator==(const PingFrame&) const = default;
};
struct GoawayFrame {
  bool last_reserved = false;
  std::uint32_t last_stream_id = 0;
  std::uint32_t error_code = 0;
  Bytes debug_data;
  bool operator==(const GoawayFrame&) const = default;
};
struct WindowUpdateFrame {
  bool increment_reserved = false;
  std::uint32_t increment = 0;  // 31 bits
  bool operator==(const WindowUpdateFrame&) const = default;
};
struct ContinuationFrame {
  Bytes fragment;
  bool operator==(const ContinuationFrame&) const = default;
};
struct PriorityUpdateFrame {  // RFC 9218 §7.1
  bool prioritized_reserved = false;
  std::uint32_t prioritized_stream_id = 0;
  std::string field_value;  // Priority Field Value, ASCII
  bool operator==(const PriorityUpdateFrame&) const = default;
};
struct UnknownFrame {  // any type this codec does not define: payload kept verbatim
  Bytes payload;
  bool operator==(const UnknownFrame&) const = default;
};

using Payload = std::variant<DataFrame, HeadersFrame, PriorityFrame, RstStreamFrame, SettingsFrame,
                             PushPromiseFrame, PingFrame, GoawayFrame, WindowUpdateFrame,
                             ContinuationFrame, PriorityUpdateFrame, UnknownFrame>;

struct Frame {
  FrameHeader header;  // header.length is what was on the wire (decode) or is recomputed (encode)
  Payload payload;
  bool operator==(const Frame&) const = default;
};

// A peer's error, as a value. scope_stream == 0 means a connection error.
struct WireError {
  ErrorCode code = ErrorCode::kProtocolError;
  std::uint32_t scope_stream = 0;
  std::size_t offset = 0;  // byte offset of the offending field from the frame start
  std::string reason;      // specific, e.g. "SETTINGS payload length 7 is not a multiple of 6"
  bool is_connection_error() const { return scope_stream == 0; }
};

enum class DecodeStatus { kComplete, kNeedMore, kError };

struct DecodeOptions {
  std::uint32_t max_frame_size = kDefaultMaxFrameSize;  // the limit *we* advertised
  bool reject_nonzero_padding = false;                  // RFC 9113 §6.1 MAY
};

struct DecodeResult {
  DecodeStatus status = DecodeStatus::kNeedMore;
  std::size_t consumed = 0;  // bytes of input used; on kError the whole frame when it was complete
  FrameHeader header;        // valid once 9 bytes were seen, also on kError
  Frame frame;               // valid on kComplete
  WireError error;           // valid on kError
};

// Decodes the 9-octet header. Needs at least kFrameHeaderSize bytes.
FrameHeader decode_frame_header(ByteView in) noexcept;

// Decodes one frame from the front of `in`. Stateless.
// kNeedMore: `in` holds less than one whole frame (consumed == 0).
// kError: length above options.max_frame_size (FRAME_SIZE_ERROR, consumed == 0 unless the whole
// frame is present), or a malformed payload (consumed == whole frame).
DecodeResult decode_frame(ByteView in, const DecodeOptions& options = {}) noexcept;
// The same, into `out`, whose storage is reused: a payload of the type `out` already holds keeps
// its buffers. Only the fields the status makes valid are written (`frame` on kComplete, `error`
// on kError); the others keep what an earlier decode left there.
void decode_frame(ByteView in, const DecodeOptions& options, DecodeResult& out) noexcept;

// Incremental reader: feed bytes in any split, pull frames out.
// Memory is bounded by one frame (at most 9 + 2^24-1 bytes) plus what was fed.
class FrameReader {
 public:
  explicit FrameReader(DecodeOptions options = {}) : options_(options) {}
  void set_options(const DecodeOptions& options) { options_ = options; }
  void feed(ByteView bytes);
  // kComplete/kError for the next frame, or kNeedMore. After an oversized-frame error the
  // reader skips that frame's bytes as they arrive, so a caller may continue reading.
  DecodeResult next() noexcept {
    DecodeResult r;
    next(r);
    return r;
  }
  // The same into `out` (see decode_frame with a DecodeResult to reuse); returns out.status.
  DecodeStatus next(DecodeResult& out) noexcept;
  std::size_t buffered() const { return buffer_.size() - start_; }
  // Bytes of an oversized frame still to be dropped as they arrive (0 when not skipping).
  // Invariant: bytes fed == sum of consumed over results + buffered() - skipping().
  std::size_t skipping() const { return skip_; }
  // The bytes behind the last result of next() that was not kNeedMore: the whole frame, or for
  // an oversized frame reported before its payload arrived, what had arrived of it. Valid until
  // the next feed(), next() or consume().
  ByteView last_bytes() const { return {buffer_.data() + last_start_, last_end_ - last_start_}; }
  // Bytes fed and not yet framed, for a caller that looks at them before framing (a connection
  // preface, an HTTP/1.x answer). Valid until the next feed(), next() or consume().
  ByteView pending() const { return {buffer_.data() + start_, buffer_.size() - start_}; }
  // Drops the first `n` pending bytes (at most pending().size()).
  void consume(std::size_t n) { start_ += std::min(n, buffer_.size() - start_); }

 private:
  DecodeOptions options_;
  Bytes buffer_;
  std::size_t start_ = 0;
  std::size_t skip_ = 0;
  std::size_t last_start_ = 0, last_end_ = 0;
};

// Deliberate wrongness on top of a frame (the "builder" knobs).
struct EncodeOverrides {
  std::optional<std::uint32_t> length = std::nullopt;          // written instead of the real payload length
  std::optional<std::uint8_t> flags = std::nullopt;            // written instead of the computed flags
  std::optional<bool> reserved = std::nullopt;                 // R bit in the header
  std::optional<std::uint8_t> pad_length = std::nullopt;       // Pad Length octet, even beyond the payload
  std::optional<std::size_t> truncate_payload = std::nullopt;  // cut the payload to this many bytes
  Bytes append_payload = {};                         // extra bytes after the payload
  std::optional<std::uint8_t> type = std::nullopt;             // written instead of the payload's type
};

// Encodes a frame. The length is computed from the payload. Flags are header.flags with PADDED
// set iff padding is present and PRIORITY iff HEADERS priority is present. For UnknownFrame the
// type is header.type. Overrides then apply, in the order listed in EncodeOverrides.
Bytes encode_frame(const Frame& frame, const EncodeOverrides& overrides = {});
void append_frame(Bytes& out, const Frame& frame, const EncodeOverrides& overrides = {});

// The type code a payload alternative encodes as (header.type for UnknownFrame).
std::uint8_t payload_type(const Frame& frame);

// One-line human summary: "HEADERS stream=1 flags=END_STREAM|END_HEADERS len=17 fragment=12B".
std::string summarize(const Frame& frame);

}  // namespace h2conform::wire
