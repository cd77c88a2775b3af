// Helpers shared by the hpack sources. Not part of the module's interface.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "runner/hpack/hpack.h"

namespace h2conform::hpack::detail {

enum class IntStatus { kOk, kNeedMore, kTooLarge, kTooLong };

// Longest accepted integer: the prefix octet plus 5 continuation octets, which hold any value up
// to 2^32-1 (RFC 7541 §5.1 lets a decoder limit both value and length).
inline constexpr int kMaxContinuationBytes = 5;

// Decodes a prefix integer from [p, end). On kOk sets *value and *used.
inline IntStatus read_integer(const std::uint8_t* p, const std::uint8_t* end, int prefix_bits,
                              std::uint32_t* value, std::size_t* used) {
  if (p >= end) return IntStatus::kNeedMore;
  const std::uint32_t max_prefix = (1u << prefix_bits) - 1;
  std::uint32_t v = *p & max_prefix;
  if (v < max_prefix) {
    *value = v;
    *used = 1;
    return IntStatus::kOk;
  }
  std::uint64_t acc = max_prefix;
  for (int i = 0; i < kMaxContinuationBytes; ++i) {
    if (p + 1 + i >= end) return IntStatus::kNeedMore;
    const std::uint8_t b = p[1 + i];
    acc += static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if (acc > 0xffffffffu) return IntStatus::kTooLarge;
    if ((b & 0x80) == 0) {
      *value = static_cast<std::uint32_t>(acc);
      *used = static_cast<std::size_t>(i) + 2;
      return IntStatus::kOk;
    }
  }
  return IntStatus::kTooLong;
}

// Appends the bytes of a prefix integer; returns the number written (at most 11 for 64 bits).
inline std::size_t write_integer(std::uint8_t* out, std::uint8_t flags, int prefix_bits,
                                 std::uint64_t value) {
  const std::uint64_t max_prefix = (1u << prefix_bits) - 1;
  if (value < max_prefix) {
    out[0] = static_cast<std::uint8_t>(flags | value);
    return 1;
  }
  out[0] = static_cast<std::uint8_t>(flags | max_prefix);
  value -= max_prefix;
  std::size_t n = 1;
  while (value >= 0x80) {
    out[n++] = static_cast<std::uint8_t>(0x80 | (value & 0x7f));
    value >>= 7;
  }
  out[n++] = static_cast<std::uint8_t>(value);
  return n;
}

// Raw Huffman coder over pointers (huffman.cc). decode needs 8*in_len/5 + 2 octets of room.
std::size_t huffman_encode_to(std::uint8_t* out, std::string_view text);
// Why a Huffman string is invalid (RFC 7541 §5.2); kOk when it is not.
enum class HuffmanStatus { kOk, kEos, kPaddingTooLong, kEndsInsideCode, kPaddingNotOnes };
// The reason text for a status other than kOk, citing the rule.
const char* huffman_reason(HuffmanStatus status);
// Decodes in[0, in_len) into out; on kOk sets *out_len.
HuffmanStatus huffman_decode_to(const std::uint8_t* in, std::size_t in_len, char* out,
                                std::size_t* out_len);
inline std::size_t huffman_decoded_capacity(std::size_t encoded) { return encoded * 8 / 5 + 2; }

// A string literal (RFC 7541 §5.2) appended to out.
void append_string(Bytes& out, std::string_view text, bool huffman);
// Writes a string literal at p (room: 6 + 4 * text.size() octets); returns octets written.
std::size_t write_string(std::uint8_t* p, std::string_view text, HuffmanMode mode);
// Huffman bits of `text`, then EOS if embed_eos, then padding: the fewest bits >= pad_bits that
// end on an octet boundary (at least 1 when zero_padding), all ones or all zeros.
Bytes huffman_encode_custom(std::string_view text, int pad_bits, bool zero_padding,
                            bool embed_eos);

inline std::uint64_t load64(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// The last n < 8 bytes as one word, without a variable-length copy.
inline std::uint64_t load_short(const char* p, std::size_t n) {
  if (n >= 4) {
    std::uint32_t a;
    std::uint32_t b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return static_cast<std::uint64_t>(a) << 32 | b;
  }
  if (n == 0) return 0;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint64_t>(u[0]) << 16 | static_cast<std::uint64_t>(u[n / 2]) << 8 |
         u[n - 1];
}

// String equality without a library call for the short strings typical of headers.
inline bool equal(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n < 8) return load_short(a.data(), n) == load_short(b.data(), n);
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    if (load64(a.data() + i) != load64(b.data() + i)) return false;
  }
  return load64(a.data() + n - 8) == load64(b.data() + n - 8);
}

// Fast non-cryptographic hash for table lookups (the length is mixed in first, so the
// overlapping tail loads do not make distinct strings collide systematically).
inline std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = (seed ^ s.size()) * kMul;
  const char* p = s.data();
  std::size_t n = s.size();
  if (n < 8) {
    h = (h ^ load_short(p, n)) * kMul;
    return h ^ (h >> 32);
  }
  while (n > 8) {
    h = (h ^ load64(p)) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  h = (h ^ load64(p + n - 8)) * kMul;
  return h ^ (h >> 32);
}
inline std::uint32_t hash_name(std::string_view name) {
  return static_cast<std::uint32_t>(hash_bytes(name, 0x51ED27u)) & ~1u;  // even: name key
}
inline std::uint32_t hash_field(std::uint32_t name_hash, std::string_view value) {
  return static_cast<std::uint32_t>(hash_bytes(value, name_hash)) | 1u;  // odd: name+value key
}

}  // namespace h2conform::hpack::detail

namespace h2conform::hpack::detail {
// static_find with the name hash already computed.
std::size_t static_find_hashed(std::uint32_t name_hash, std::string_view name,
                               std::string_view value, bool* value_matched);
}  // namespace h2conform::hpack::detail
