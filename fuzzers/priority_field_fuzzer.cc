// priority_field: the Priority field value parser (RFC 9218 §4, a Structured Fields Dictionary,
// RFC 9651 §4.2) of the reference server, tests/reference/reference_priority.h, over any text.
//
// Properties: no crash; the same answer twice; an accepted value has urgency 0..7; an accepted
// value holds only ASCII (RFC 9651 §4.2: a value that is not ASCII fails); and what follows from
// the Dictionary rule that a later member with the same key overwrites an earlier one
// (RFC 9651 §4.2.2) together with RFC 9218 §4 (out-of-range or mistyped parameters are ignored):
// after an accepted value that has at least one member,
// - ", u=N" (N in 0..7) gives urgency N and keeps incremental;
// - ", u=9" or ", u" gives the default urgency 3 (the last u wins and is ignored);
// - ", i" gives incremental, ", i=?0" not incremental, and both keep the urgency;
// and re-serialising the result as "u=N" or "u=N, i" parses back to the same.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzzers/fuzz_check.h"
#include "tests/reference/reference_priority.h"

namespace {

using h2conform::reference::parse_priority_field;
using h2conform::reference::PriorityParams;

constexpr std::size_t kMaxInput = 4096;

bool same(const std::optional<PriorityParams>& a, const std::optional<PriorityParams>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->urgency == b->urgency && a->incremental == b->incremental);
}

std::optional<PriorityParams> parsed(std::string_view text) {
  const auto p = parse_priority_field(text);
  FUZZ_CHECK(same(p, parse_priority_field(text)));
  if (p) FUZZ_CHECK(p->urgency >= 0 && p->urgency <= 7);
  return p;
}

bool has_member(std::string_view text) {
  return text.find_first_not_of(" \t") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto p = parsed(text);
  if (!p) return 0;
  for (unsigned char c : text) FUZZ_CHECK(c < 0x80);

  std::string canonical = "u=" + std::to_string(p->urgency);
  if (p->incremental) canonical += ", i";
  FUZZ_CHECK(same(parsed(canonical), p));

  if (!has_member(text)) return 0;
  const int urgency = static_cast<int>(size % 8);
  const auto with_u = parsed(text + ", u=" + std::to_string(urgency));
  FUZZ_CHECK(with_u && with_u->urgency == urgency && with_u->incremental == p->incremental);
  for (const char* ignored : {", u=9", ", u"}) {
    const auto last = parsed(text + ignored);
    FUZZ_CHECK(last && last->urgency == 3 && last->incremental == p->incremental);
  }
  const auto with_i = parsed(text + ", i");
  FUZZ_CHECK(with_i && with_i->incremental && with_i->urgency == p->urgency);
  const auto without_i = parsed(text + ", i=?0");
  FUZZ_CHECK(without_i && !without_i->incremental && without_i->urgency == p->urgency);
  return 0;
}
