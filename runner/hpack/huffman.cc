// Huffman code of RFC 7541 §5.2 / Appendix B.
//
// Decoding peeks 12 bits at a time through a table built once from the code table; an entry
// yields up to two symbols. Codes longer than 12 bits are found with the canonical-code limits
// (the Appendix B code is canonical: codes of one length are consecutive, ordered by symbol).
#include <algorithm>
#include <array>
#include <cassert>

#include "runner/hpack/hpack.h"
#include "runner/hpack/internal.h"

namespace h2conform::hpack {
namespace {

struct Code {
  std::uint32_t bits;
  std::uint8_t length;
};

// Appendix B, symbols 0..256 (256 is EOS).
constexpr Code kCodes[257] = {
    {0x1ff8, 13}, {0x7fffd8, 23}, {0xfffffe2, 28}, {0xfffffe3, 28}, {0xfffffe4, 28}, {0xfffffe5, 28},
    {0xfffffe6, 28}, {0xfffffe7, 28}, {0xfffffe8, 28}, {0xffffea, 24}, {0x3ffffffc, 30}, {0xfffffe9, 28},
    {0xfffffea, 28}, {0x3ffffffd, 30}, {0xfffffeb, 28}, {0xfffffec, 28}, {0xfffffed, 28}, {0xfffffee, 28},
    {0xfffffef, 28}, {0xffffff0, 28}, {0xffffff1, 28}, {0xffffff2, 28}, {0x3ffffffe, 30}, {0xffffff3, 28},
    {0xffffff4, 28}, {0xffffff5, 28}, {0xffffff6, 28}, {0xffffff7, 28}, {0xffffff8, 28}, {0xffffff9, 28},
    {0xffffffa, 28}, {0xffffffb, 28}, {0x14, 6}, {0x3f8, 10}, {0x3f9, 10}, {0xffa, 12},
    {0x1ff9, 13}, {0x15, 6}, {0xf8, 8}, {0x7fa, 11}, {0x3fa, 10}, {0x3fb, 10},
    {0xf9, 8}, {0x7fb, 11}, {0xfa, 8}, {0x16, 6}, {0x17, 6}, {0x18, 6},
    {0x0, 5}, {0x1, 5}, {0x2, 5}, {0x19, 6}, {0x1a, 6}, {0x1b, 6},
    {0x1c, 6}, {0x1d, 6}, {0x1e, 6}, {0x1f, 6}, {0x5c, 7}, {0xfb, 8},
    {0x7ffc, 15}, {0x20, 6}, {0xffb, 12}, {0x3fc, 10}, {0x1ffa, 13}, {0x21, 6},
    {0x5d, 7}, {0x5e, 7}, {0x5f, 7}, {0x60, 7}, {0x61, 7}, {0x62, 7},
    {0x63, 7}, {0x64, 7}, {0x65, 7}, {0x66, 7}, {0x67, 7}, {0x68, 7},
    {0x69, 7}, {0x6a, 7}, {0x6b, 7}, {0x6c, 7}, {0x6d, 7}, {0x6e, 7},
    {0x6f, 7}, {0x70, 7}, {0x71, 7}, {0x72, 7}, {0xfc, 8}, {0x73, 7},
    {0xfd, 8}, {0x1ffb, 13}, {0x7fff0, 19}, {0x1ffc, 13}, {0x3ffc, 14}, {0x22, 6},
    {0x7ffd, 15}, {0x3, 5}, {0x23, 6}, {0x4, 5}, {0x24, 6}, {0x5, 5},
    {0x25, 6}, {0x26, 6}, {0x27, 6}, {0x6, 5}, {0x74, 7}, {0x75, 7},
    {0x28, 6}, {0x29, 6}, {0x2a, 6}, {0x7, 5}, {0x2b, 6}, {0x76, 7},
    {0x2c, 6}, {0x8, 5}, {0x9, 5}, {0x2d, 6}, {0x77, 7}, {0x78, 7},
    {0x79, 7}, {0x7a, 7}, {0x7b, 7}, {0x7ffe, 15}, {0x7fc, 11}, {0x3ffd, 14},
    {0x1ffd, 13}, {0xffffffc, 28}, {0xfffe6, 20}, {0x3fffd2, 22}, {0xfffe7, 20}, {0xfffe8, 20},
    {0x3fffd3, 22}, {0x3fffd4, 22}, {0x3fffd5, 22}, {0x7fffd9, 23}, {0x3fffd6, 22}, {0x7fffda, 23},
    {0x7fffdb, 23}, {0x7fffdc, 23}, {0x7fffdd, 23}, {0x7fffde, 23}, {0xffffeb, 24}, {0x7fffdf, 23},
    {0xffffec, 24}, {0xffffed, 24}, {0x3fffd7, 22}, {0x7fffe0, 23}, {0xffffee, 24}, {0x7fffe1, 23},
    {0x7fffe2, 23}, {0x7fffe3, 23}, {0x7fffe4, 23}, {0x1fffdc, 21}, {0x3fffd8, 22}, {0x7fffe5, 23},
    {0x3fffd9, 22}, {0x7fffe6, 23}, {0x7fffe7, 23}, {0xffffef, 24}, {0x3fffda, 22}, {0x1fffdd, 21},
    {0xfffe9, 20}, {0x3fffdb, 22}, {0x3fffdc, 22}, {0x7fffe8, 23}, {0x7fffe9, 23}, {0x1fffde, 21},
    {0x7fffea, 23}, {0x3fffdd, 22}, {0x3fffde, 22}, {0xfffff0, 24}, {0x1fffdf, 21}, {0x3fffdf, 22},
    {0x7fffeb, 23}, {0x7fffec, 23}, {0x1fffe0, 21}, {0x1fffe1, 21}, {0x3fffe0, 22}, {0x1fffe2, 21},
    {0x7fffed, 23}, {0x3fffe1, 22}, {0x7fffee, 23}, {0x7fffef, 23}, {0xfffea, 20}, {0x3fffe2, 22},
    {0x3fffe3, 22}, {0x3fffe4, 22}, {0x7ffff0, 23}, {0x3fffe5, 22}, {0x3fffe6, 22}, {0x7ffff1, 23},
    {0x3ffffe0, 26}, {0x3ffffe1, 26}, {0xfffeb, 20}, {0x7fff1, 19}, {0x3fffe7, 22}, {0x7ffff2, 23},
    {0x3fffe8, 22}, {0x1ffffec, 25}, {0x3ffffe2, 26}, {0x3ffffe3, 26}, {0x3ffffe4, 26}, {0x7ffffde, 27},
    {0x7ffffdf, 27}, {0x3ffffe5, 26}, {0xfffff1, 24}, {0x1ffffed, 25}, {0x7fff2, 19}, {0x1fffe3, 21},
    {0x3ffffe6, 26}, {0x7ffffe0, 27}, {0x7ffffe1, 27}, {0x3ffffe7, 26}, {0x7ffffe2, 27}, {0xfffff2, 24},
    {0x1fffe4, 21}, {0x1fffe5, 21}, {0x3ffffe8, 26}, {0x3ffffe9, 26}, {0xffffffd, 28}, {0x7ffffe3, 27},
    {0x7ffffe4, 27}, {0x7ffffe5, 27}, {0xfffec, 20}, {0xfffff3, 24}, {0xfffed, 20}, {0x1fffe6, 21},
    {0x3fffe9, 22}, {0x1fffe7, 21}, {0x1fffe8, 21}, {0x7ffff3, 23}, {0x3fffea, 22}, {0x3fffeb, 22},
    {0x1ffffee, 25}, {0x1ffffef, 25}, {0xfffff4, 24}, {0xfffff5, 24}, {0x3ffffea, 26}, {0x7ffff4, 23},
    {0x3ffffeb, 26}, {0x7ffffe6, 27}, {0x3ffffec, 26}, {0x3ffffed, 26}, {0x7ffffe7, 27}, {0x7ffffe8, 27},
    {0x7ffffe9, 27}, {0x7ffffea, 27}, {0x7ffffeb, 27}, {0xffffffe, 28}, {0x7ffffec, 27}, {0x7ffffed, 27},
    {0x7ffffee, 27}, {0x7ffffef, 27}, {0x7fffff0, 27}, {0x3ffffee, 26}, {0x3fffffff, 30}, 
};

constexpr int kEos = 256;
constexpr int kPeekBits = 12;

// Fast entry: sym1 | sym2 << 8 | len1 << 16 | total << 20 | count << 25. count 0: long code.
struct Tables {
  std::array<std::uint32_t, 1u << kPeekBits> fast{};
  std::array<std::uint32_t, 31> limit{};      // first code after the last code of a length
  std::array<std::uint32_t, 31> first{};      // first code of a length
  std::array<std::uint16_t, 31> offset{};     // index in `sorted` of a length's first symbol
  std::array<std::uint16_t, 257> sorted{};    // symbols ordered by (length, symbol)
};

void build_canonical(Tables& t) {
  std::array<std::uint16_t, 257> syms{};
  for (std::uint16_t i = 0; i < 257; ++i) syms[i] = i;
  std::stable_sort(syms.begin(), syms.end(),
                   [](std::uint16_t a, std::uint16_t b) { return kCodes[a].length < kCodes[b].length; });
  t.sorted = syms;
  std::uint16_t k = 0;
  for (int len = 1; len <= 30; ++len) {
    t.offset[len] = k;
    t.first[len] = 0;
    t.limit[len] = 0;
    bool any = false;
    while (k < 257 && kCodes[syms[k]].length == len) {
      if (!any) t.first[len] = kCodes[syms[k]].bits;
      assert(kCodes[syms[k]].bits == t.first[len] + (k - t.offset[len]));
      any = true;
      ++k;
    }
    t.limit[len] = any ? t.first[len] + (k - t.offset[len]) : 0;
  }
}

void build_fast(Tables& t) {
  std::array<std::uint16_t, 1u << kPeekBits> single{};  // sym | len << 9, 0 = none
  for (int s = 0; s < 256; ++s) {
    const int len = kCodes[s].length;
    if (len > kPeekBits) continue;
    const std::uint32_t lo = kCodes[s].bits << (kPeekBits - len);
    const std::uint32_t hi = (kCodes[s].bits + 1) << (kPeekBits - len);
    for (std::uint32_t i = lo; i < hi; ++i) single[i] = static_cast<std::uint16_t>(s | len << 9);
  }
  constexpr std::uint32_t kMask = (1u << kPeekBits) - 1;
  for (std::uint32_t i = 0; i <= kMask; ++i) {
    const std::uint32_t s1 = single[i] & 0x1ff;
    const std::uint32_t len1 = single[i] >> 9;
    if (len1 == 0) continue;
    std::uint32_t e = s1 | len1 << 16 | len1 << 20 | 1u << 25;
    const std::uint32_t rest = (i << len1) & kMask;
    const std::uint32_t s2 = single[rest] & 0x1ff;
    const std::uint32_t len2 = single[rest] >> 9;
    if (len2 != 0 && len1 + len2 <= kPeekBits) e = s1 | s2 << 8 | len1 << 16 | (len1 + len2) << 20 | 2u << 25;
    t.fast[i] = e;
  }
}

const Tables& tables() {
  static const Tables t = [] {
    Tables x;
    build_canonical(x);
    build_fast(x);
    return x;
  }();
  return t;
}

// Symbol whose code starts at the top of `window` (left-aligned 32 bits); sets *len.
int decode_long(const Tables& t, std::uint32_t window, int* len) {
  for (int l = kPeekBits + 1; l <= 30; ++l) {
    const std::uint32_t code = window >> (32 - l);
    if (t.limit[l] != 0 && code < t.limit[l]) {
      *len = l;
      return t.sorted[t.offset[l] + (code - t.first[l])];
    }
  }
  *len = 31;  // cannot happen for a complete code space
  return -1;
}

}  // namespace

namespace detail {

std::size_t huffman_encode_to(std::uint8_t* out, std::string_view text) {
  std::uint64_t acc = 0;
  int nbits = 0;
  std::uint8_t* o = out;
  for (unsigned char c : text) {
    acc = (acc << kCodes[c].length) | kCodes[c].bits;
    nbits += kCodes[c].length;
    if (nbits >= 32) {
      nbits -= 32;
      const auto w = static_cast<std::uint32_t>(acc >> nbits);
      o[0] = static_cast<std::uint8_t>(w >> 24);
      o[1] = static_cast<std::uint8_t>(w >> 16);
      o[2] = static_cast<std::uint8_t>(w >> 8);
      o[3] = static_cast<std::uint8_t>(w);
      o += 4;
    }
  }
  const int pad = (8 - nbits % 8) % 8;  // RFC 7541 §5.2: pad with the EOS prefix (ones)
  acc = (acc << pad) | ((1u << pad) - 1);
  nbits += pad;
  while (nbits > 0) {
    nbits -= 8;
    *o++ = static_cast<std::uint8_t>(acc >> nbits);
  }
  return static_cast<std::size_t>(o - out);
}

}  // namespace detail

namespace {

// Input bits, left-aligned in a 64-bit accumulator.
struct BitReader {
  const std::uint8_t* p;
  const std::uint8_t* end;
  std::uint64_t acc = 0;
  int bits = 0;

  void refill() {
    if (end - p >= 8) {  // whole octets up to 63 bits; re-reading a partial octet is harmless
      std::uint64_t v = 0;
      for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
      acc |= v >> bits;
      p += (63 - bits) >> 3;
      bits |= 56;
      return;
    }
    while (bits <= 56 && p < end) {
      acc |= static_cast<std::uint64_t>(*p++) << (56 - bits);
      bits += 8;
    }
  }
  void consume(int n) {
    acc <<= n;
    bits -= n;
  }
};

// RFC 7541 §5.2: what is left after the last symbol must be at most 7 bits, all ones.
detail::HuffmanStatus check_padding(const BitReader& r) {
  using detail::HuffmanStatus;
  if (r.bits == 0) return HuffmanStatus::kOk;
  const std::uint64_t ones = ~std::uint64_t{0} << (64 - r.bits);
  const bool all_ones = (r.acc & ones) == ones;
  if (r.bits > 7) return all_ones ? HuffmanStatus::kPaddingTooLong : HuffmanStatus::kEndsInsideCode;
  return all_ones ? HuffmanStatus::kOk : HuffmanStatus::kPaddingNotOnes;
}

}  // namespace

namespace detail {

const char* huffman_reason(HuffmanStatus status) {
  switch (status) {
    case HuffmanStatus::kOk:
      break;
    case HuffmanStatus::kEos:
      return "EOS symbol inside a Huffman string (RFC 7541 §5.2)";
    case HuffmanStatus::kPaddingTooLong:
      return "Huffman padding longer than 7 bits (RFC 7541 §5.2)";
    case HuffmanStatus::kEndsInsideCode:
      return "Huffman string ends inside a code (RFC 7541 §5.2)";
    case HuffmanStatus::kPaddingNotOnes:
      return "Huffman padding is not all ones (RFC 7541 §5.2)";
  }
  return "no error";
}

HuffmanStatus huffman_decode_to(const std::uint8_t* in, std::size_t in_len, char* out,
                                std::size_t* out_len) {
  const Tables& t = tables();
  BitReader r{in, in + in_len};
  char* o = out;
  for (bool last = false; !last;) {
    r.refill();
    last = r.p == r.end;
    while (r.bits >= 30 || (last && r.bits > 0)) {  // 30: the longest code
      const std::uint32_t e = t.fast[r.acc >> (64 - kPeekBits)];
      if ((e >> 25) != 0) {  // one or two short codes
        const int len1 = static_cast<int>((e >> 16) & 0xf);
        const int total = static_cast<int>((e >> 20) & 0x1f);
        if (total <= r.bits) {
          o[0] = static_cast<char>(e & 0xff);
          o[1] = static_cast<char>((e >> 8) & 0xff);
          o += e >> 25;
          r.consume(total);
          continue;
        }
        if (len1 > r.bits) break;
        *o++ = static_cast<char>(e & 0xff);
        r.consume(len1);
        continue;
      }
      int len = 0;
      const int sym = decode_long(t, static_cast<std::uint32_t>(r.acc >> 32), &len);
      if (len > r.bits) break;
      if (sym == kEos) return HuffmanStatus::kEos;
      *o++ = static_cast<char>(sym);
      r.consume(len);
    }
  }
  if (const HuffmanStatus status = check_padding(r); status != HuffmanStatus::kOk) return status;
  *out_len = static_cast<std::size_t>(o - out);
  return HuffmanStatus::kOk;
}

Bytes huffman_encode_custom(std::string_view text, int pad_bits, bool zero_padding,
                            bool embed_eos) {
  Bytes out;
  std::uint64_t acc = 0;
  int nbits = 0;
  auto put = [&](std::uint32_t code, int len) {
    acc = (acc << len) | code;
    nbits += len;
    while (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> nbits));
    }
  };
  for (unsigned char c : text) put(kCodes[c].bits, kCodes[c].length);
  if (embed_eos) put(kCodes[kEos].bits, kCodes[kEos].length);
  int pad = std::max(pad_bits, 0);
  while ((nbits + pad) % 8 != 0) ++pad;
  if (zero_padding && pad == 0) pad = 8;
  for (; pad > 0; --pad) put(zero_padding ? 0u : 1u, 1);
  return out;
}

}  // namespace detail

void huffman_encode(Bytes& out, std::string_view text) {
  const std::size_t old = out.size();
  out.resize(old + huffman_encoded_length(text));
  detail::huffman_encode_to(out.data() + old, text);
}

std::size_t huffman_encoded_length(std::string_view text) {
  std::size_t bits = 0;
  for (unsigned char c : text) bits += kCodes[c].length;
  return (bits + 7) / 8;
}

std::optional<HpackError> huffman_decode(ByteView in, std::string& out) {
  const std::size_t old = out.size();
  out.resize(old + detail::huffman_decoded_capacity(in.size()));
  std::size_t n = 0;
  const detail::HuffmanStatus status = detail::huffman_decode_to(in.data(), in.size(), out.data() + old, &n);
  if (status != detail::HuffmanStatus::kOk) {
    out.resize(old);
    return HpackError{0, detail::huffman_reason(status)};
  }
  out.resize(old + n);
  return std::nullopt;
}

}  // namespace h2conform::hpack
