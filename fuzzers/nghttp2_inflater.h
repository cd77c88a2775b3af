// libnghttp2's HPACK inflater, for the fuzz targets that run it beside ours: the second opinion
// of hpack_differential and the baseline nghttp2_hpack_inflate. Only those targets include it
// (they link libnghttp2; the h2conform binary never does).
#pragma once

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <span>

#include "fuzzers/fuzz_check.h"

namespace h2conform::fuzz {

struct NghttpInflater {
  nghttp2_hd_inflater* p = nullptr;
  NghttpInflater() { FUZZ_CHECK(nghttp2_hd_inflate_new(&p) == 0); }
  ~NghttpInflater() { nghttp2_hd_inflate_del(p); }
  NghttpInflater(const NghttpInflater&) = delete;
  NghttpInflater& operator=(const NghttpInflater&) = delete;
};

// One whole header block through the inflater (in_final set): on_field(nv) for every field it
// emits; false when nghttp2 rejects the block, with its error code in *rv_out when given.
template <typename OnField>
bool nghttp2_inflate_block(nghttp2_hd_inflater* inflater, std::span<const std::uint8_t> block, OnField on_field,
                           long* rv_out = nullptr) {
  const std::uint8_t* in = block.data();
  std::size_t left = block.size();
  for (;;) {
    nghttp2_nv nv;
    int flags = 0;
    const auto rv = nghttp2_hd_inflate_hd2(inflater, &nv, &flags, in, left, 1);
    if (rv_out != nullptr) *rv_out = static_cast<long>(rv);
    if (rv < 0) return false;
    in += rv;
    left -= static_cast<std::size_t>(rv);
    if (flags & NGHTTP2_HD_INFLATE_EMIT) on_field(nv);
    if (flags & NGHTTP2_HD_INFLATE_FINAL) {
      nghttp2_hd_inflate_end_headers(inflater);
      return true;
    }
    // With in_final set, nghttp2 either emits, finishes or fails; no progress would loop.
    FUZZ_CHECK((flags & NGHTTP2_HD_INFLATE_EMIT) || rv > 0);
  }
}

}  // namespace h2conform::fuzz
