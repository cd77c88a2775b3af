// session_structured: the session target (session_fuzzer.cc, compiled into this binary as it
// is) with the structure-aware frame mutator (frame_mutator.h), so that a run with and without
// it can be compared from the same seeds. The prefix the mutator keeps is the two control
// octets, and the client connection preface when the peer's bytes start with it.
#include "fuzzers/session_fuzzer.cc"

#include <cstring>

#include "fuzzers/frame_mutator.h"

namespace {

std::size_t session_prefix(const std::uint8_t* data, std::size_t size) {
  using h2conform::engine::kClientPreface;
  const std::size_t header = h2conform::fuzz::kSessionHeaderSize;
  const bool preface = size >= header + kClientPreface.size() &&
                       std::memcmp(data + header, kClientPreface.data(), kClientPreface.size()) == 0;
  return header + (preface ? kClientPreface.size() : 0);
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  return h2conform::fuzz::mutate_frames(data, size, max_size, seed, session_prefix(data, size));
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                 const std::uint8_t* data2, std::size_t size2, std::uint8_t* out,
                                                 std::size_t max_out, unsigned int seed) {
  return h2conform::fuzz::cross_frames({data1, size1}, session_prefix(data1, size1), {data2, size2},
                                       session_prefix(data2, size2), out, max_out, seed);
}
