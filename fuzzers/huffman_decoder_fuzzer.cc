// huffman_decoder: arbitrary bytes as a Huffman string (RFC 7541 §5.2). Properties: no crash;
// a rejected input leaves the output as it was and names a reason; an accepted input
// re-encodes to exactly the same bytes (its padding was the shortest, all ones) and decodes
// again to the same text. The input as text must also survive encode then decode.
#include <cstdint>
#include <string>

#include "fuzzers/fuzz_check.h"
#include "runner/hpack/hpack.h"

namespace {

using namespace h2conform::hpack;

constexpr std::size_t kMaxInput = 1 << 14;

void check_text_round_trip(std::string_view text) {
  Bytes enc;
  huffman_encode(enc, text);
  FUZZ_CHECK(enc.size() == huffman_encoded_length(text));
  std::string back;
  FUZZ_CHECK(!huffman_decode(enc, back));
  FUZZ_CHECK(back == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const ByteView in(data, size);
  std::string text = "prefix";
  const auto error = huffman_decode(in, text);
  if (!error) {
    FUZZ_CHECK(text.compare(0, 6, "prefix") == 0);
    const std::string_view decoded = std::string_view(text).substr(6);
    Bytes again;
    huffman_encode(again, decoded);
    FUZZ_CHECK(again.size() == in.size());
    FUZZ_CHECK(std::equal(again.begin(), again.end(), in.begin()));
    check_text_round_trip(decoded);
  } else {
    FUZZ_CHECK(text == "prefix");
    FUZZ_CHECK(!error->reason.empty());
  }
  check_text_round_trip(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
