// Prefix integers (RFC 7541 §5.1) and string literals (§5.2).
#include "runner/hpack/hpack.h"
#include "runner/hpack/internal.h"

namespace h2conform::hpack {

void encode_integer(Bytes& out, std::uint8_t first_byte_flags, int prefix_bits,
                    std::uint64_t value) {
  std::uint8_t buf[16];
  const std::size_t n = detail::write_integer(buf, first_byte_flags, prefix_bits, value);
  out.insert(out.end(), buf, buf + n);
}

std::optional<HpackError> decode_integer(ByteView in, int prefix_bits, std::uint32_t* value,
                                         std::size_t* used) {
  switch (detail::read_integer(in.data(), in.data() + in.size(), prefix_bits, value, used)) {
    case detail::IntStatus::kOk:
      return std::nullopt;
    case detail::IntStatus::kNeedMore:
      return HpackError{in.size(), "the input ends inside an integer (RFC 7541 §5.1)"};
    case detail::IntStatus::kTooLarge:
      return HpackError{0, "integer exceeds 2^32-1 (RFC 7541 §5.1)"};
    case detail::IntStatus::kTooLong:
      break;
  }
  return HpackError{0, "integer has more than 5 continuation octets (RFC 7541 §5.1)"};
}

namespace detail {

std::size_t write_string(std::uint8_t* p, std::string_view text, HuffmanMode mode) {
  if (mode != HuffmanMode::kNever) {
    const std::size_t len = huffman_encoded_length(text);
    if (mode == HuffmanMode::kAlways || len < text.size()) {
      const std::size_t n = write_integer(p, 0x80, 7, len);
      huffman_encode_to(p + n, text);
      return n + len;
    }
  }
  const std::size_t n = write_integer(p, 0x00, 7, text.size());
  if (!text.empty()) std::memcpy(p + n, text.data(), text.size());
  return n + text.size();
}

void append_string(Bytes& out, std::string_view text, bool huffman) {
  const std::size_t old = out.size();
  if (huffman) {
    const std::size_t len = huffman_encoded_length(text);
    out.resize(old + 16 + len);
    const std::size_t n = write_integer(out.data() + old, 0x80, 7, len);
    huffman_encode_to(out.data() + old + n, text);
    out.resize(old + n + len);
    return;
  }
  out.resize(old + 16 + text.size());
  const std::size_t n = write_integer(out.data() + old, 0x00, 7, text.size());
  if (!text.empty()) std::memcpy(out.data() + old + n, text.data(), text.size());
  out.resize(old + n + text.size());
}

}  // namespace detail
}  // namespace h2conform::hpack
