// The catalogue's order of cases: the one comparator used by the loader (load_catalogue sorts
// with it) and by every report that groups or sorts cases (terminal, --dryrun, JUnit suites,
// HTML tables):
//  1. by spec: RFC 9113 (HTTP/2 itself), RFC 7541 (HPACK), RFC 8441, RFC 9218, RFC 7540, then
//     any other spec by name;
//  2. by section number, part by part, numbers compared as numbers: 5.1 < 5.1.1 < 5.1.2 < 5.2,
//     6.9 < 6.10, and appendix letters after numbers (8.3 < A.1);
//  3. by id, digit runs compared as numbers (.../pad-2 before .../pad-10).
// h2spec's generic/... cases carry RFC 9113 sections, so they sit beside the rfc9113/... cases of
// the same section ("generic/" sorts before "rfc9113/" within a section).
// Sections are written "RFC 9113 6.8"; text in another form sorts after them, by text.
//
// Header-only: pure functions of two (section, id) pairs.
#pragma once

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>
#include <vector>

#include "runner/engine/model/result.h"

namespace h2conform::engine {
namespace order_detail {

// Rank of a spec in the catalogue order ; unknown specs after the known ones.
inline int spec_rank(std::string_view spec) {
  constexpr std::string_view kOrder[] = {"RFC 9113", "RFC 7541", "RFC 8441", "RFC 9218", "RFC 7540"};
  for (std::size_t i = 0; i < std::size(kOrder); ++i) {
    if (spec == kOrder[i]) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kOrder));
}

inline bool is_digit(char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; }

// Compares the digit runs at the start of a and b as numbers; advances both past them.
inline int compare_number(std::string_view* a, std::string_view* b) {
  auto take = [](std::string_view* s) {
    std::size_t n = 0;
    while (n < s->size() && is_digit((*s)[n])) ++n;
    std::string_view run = s->substr(0, n);
    s->remove_prefix(n);
    while (run.size() > 1 && run.front() == '0') run.remove_prefix(1);
    return run;
  };
  std::string_view x = take(a), y = take(b);
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  return x.compare(y) < 0 ? -1 : x.compare(y) > 0 ? 1 : 0;
}

// Text order with digit runs compared as numbers; a digit run sorts before any other text, so
// "5.1" < "5.1.1" < "5.10" and "6.9" < "6.10" and "8.3" < "A.1".
inline int compare_natural(std::string_view a, std::string_view b) {
  while (!a.empty() && !b.empty()) {
    const bool da = is_digit(a.front()), db = is_digit(b.front());
    if (da && db) {
      if (int c = compare_number(&a, &b); c != 0) return c;
      continue;
    }
    if (da != db) return da ? -1 : 1;
    if (a.front() != b.front()) return a.front() < b.front() ? -1 : 1;
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  return a.empty() ? (b.empty() ? 0 : -1) : 1;
}

// "RFC 9113 6.8" -> spec "RFC 9113", number "6.8"; false for text in another form.
inline bool split_section(std::string_view text, std::string_view* spec, std::string_view* number) {
  if (!text.starts_with("RFC ")) return false;
  std::size_t space = text.find(' ', 4);
  *spec = text.substr(0, space);
  *number = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  return true;
}

}  // namespace order_detail

// <0, 0 or >0 as section a sorts before, with or after section b.
inline int compare_sections(std::string_view a, std::string_view b) {
  std::string_view spec_a, spec_b, number_a, number_b;
  const bool ok_a = order_detail::split_section(a, &spec_a, &number_a);
  const bool ok_b = order_detail::split_section(b, &spec_b, &number_b);
  if (!ok_a || !ok_b) {
    if (ok_a != ok_b) return ok_a ? -1 : 1;
    return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
  }
  const int rank_a = order_detail::spec_rank(spec_a), rank_b = order_detail::spec_rank(spec_b);
  if (rank_a != rank_b) return rank_a < rank_b ? -1 : 1;
  if (int c = spec_a.compare(spec_b); c != 0) return c < 0 ? -1 : 1;
  if (int c = order_detail::compare_natural(number_a, number_b); c != 0) return c;
  return number_a.compare(number_b) < 0 ? -1 : number_a.compare(number_b) > 0 ? 1 : 0;
}

inline bool catalogue_less(std::string_view section_a, std::string_view id_a,
                           std::string_view section_b, std::string_view id_b) {
  if (int c = compare_sections(section_a, section_b); c != 0) return c < 0;
  if (int c = order_detail::compare_natural(id_a, id_b); c != 0) return c < 0;
  return id_a < id_b;
}

inline bool catalogue_less(const CaseResult& a, const CaseResult& b) {
  return catalogue_less(a.section, a.id, b.section, b.id);
}

// The cases of a run in catalogue order (a results file from an older version may hold them
// in another order); equal keys keep their order.
inline std::vector<const CaseResult*> in_catalogue_order(const RunResult& run) {
  std::vector<const CaseResult*> out;
  out.reserve(run.cases.size());
  for (const auto& c : run.cases) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(), [](const CaseResult* a, const CaseResult* b) { return catalogue_less(*a, *b); });
  return out;
}

}  // namespace h2conform::engine
