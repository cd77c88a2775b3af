// Fuzz target: the case-file loader. Any text must either load or throw engine::LoadError with
// a file name and a JSON pointer; any other exception, crash or hang is a bug. Deterministic,
// no I/O; the requirement table is empty, so only the shape of requirement ids is checked.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzzers/fuzz_check.h"
#include "runner/engine/engine.h"

namespace {
constexpr std::size_t kMaxInput = 64 * 1024;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  static const h2conform::engine::RequirementTable kNoRequirements;
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto cases = h2conform::engine::load_case_text(text, "fuzz.json", kNoRequirements);
    for (const auto& c : cases) {
      FUZZ_CHECK(!c.id.empty());
      FUZZ_CHECK(c.script != nullptr);
      FUZZ_CHECK(c.steps_source.is_array());
    }
  } catch (const h2conform::engine::LoadError& e) {
    FUZZ_CHECK(e.file() == "fuzz.json");
    FUZZ_CHECK(!e.message().empty());
  }
  return 0;
}
