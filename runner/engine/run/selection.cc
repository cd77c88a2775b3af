// Case selection with h2spec-compatible selectors (cases/README.md, compat/README.md), and
// the checks that tell a misspelt selector from one that only needs --strict.
#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "runner/engine/run/selection.h"

namespace h2conform::engine {
namespace {

bool is_group(std::string_view s) {
  return s == "http2" || s == "hpack" || s == "generic" || s == "priority";
}

bool has_tag(const Case& c, std::string_view tag) {
  for (const auto& t : c.tags) {
    if (t == tag) return true;
  }
  return false;
}

// "6.5" covers "6.5" and "6.5.x".
bool section_covers(std::string_view prefix, std::string_view section) {
  return section == prefix || (section.starts_with(prefix) && section.size() > prefix.size() &&
                               section[prefix.size()] == '.');
}

// `text` equals `prefix` or continues it after a '/'.
bool path_covers(std::string_view prefix, std::string_view text) {
  return text == prefix || (text.starts_with(prefix) && text.size() > prefix.size() &&
                            text[prefix.size()] == '/');
}

bool h2spec_matches(const Case& c, std::string_view selector);

bool group_matches(const Case& c, std::string_view group) {
  if (c.group == group) return true;
  return group == "priority" && has_tag(c, "priority");
}

// http2/6.5 -> RFC 9113 §6.5 and subsections; hpack/4.2 -> RFC 7541 §4.2.
bool rfc_section_matches(const Case& c, std::string_view selector) {
  std::size_t slash = selector.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view group = selector.substr(0, slash);
  std::string_view section = selector.substr(slash + 1);
  if (section.find('/') != std::string_view::npos || section.empty()) return false;
  if (group == "http2") return c.group == "http2" && c.spec == "RFC 9113" && section_covers(section, c.section_number);
  if (group == "hpack") return c.group == "hpack" && c.spec == "RFC 7541" && section_covers(section, c.section_number);
  return false;
}

// h2spec ids are <group>/<section>/<n>: a selector names one id, or a section and its
// subsections (http2/8.1.2 covers http2/8.1.2.1/1), or a whole group.
bool h2spec_matches(const Case& c, std::string_view selector) {
  for (const auto& id : c.h2spec_ids) {
    if (path_covers(selector, id)) return true;
    std::string_view v = id;
    std::size_t last = v.rfind('/');
    std::string_view section_path = v.substr(0, last);  // "http2/8.1.2.1"
    std::size_t sel_slash = selector.find('/');
    std::size_t id_slash = section_path.find('/');
    if (sel_slash == std::string_view::npos || id_slash == std::string_view::npos) continue;
    if (selector.substr(0, sel_slash) != section_path.substr(0, id_slash)) continue;
    if (section_covers(selector.substr(sel_slash + 1), section_path.substr(id_slash + 1))) return true;
  }
  return false;
}

bool selector_matches(const Case& c, std::string_view selector) {
  if (is_group(selector)) return group_matches(c, selector) || h2spec_matches(c, selector);
  if (rfc_section_matches(c, selector) || path_covers(selector, c.id) || h2spec_matches(c, selector)) return true;
  return std::any_of(c.aliases.begin(), c.aliases.end(),
                     [&](const std::string& alias) { return path_covers(selector, alias); });
}

bool any_matches(const Case& c, const std::vector<std::string>& selectors) {
  for (const auto& s : selectors) {
    if (selector_matches(c, s)) return true;
  }
  return false;
}

// "http2/8.1.2.1" -> "http2/8.1.2.1", "http2/8.1.2", "http2/8.1", "http2/8".
void add_section_prefixes(const std::string& group, std::string section, std::set<std::string>* out) {
  for (;;) {
    out->insert(group + "/" + section);
    const auto dot = section.rfind('.');
    if (dot == std::string::npos) return;
    section.resize(dot);
  }
}

// Every name a selector can be: groups, sections, case ids and their '/' prefixes, h2spec ids
// and their sections.
std::set<std::string> known_names(const Catalogue& catalogue) {
  std::set<std::string> names = {"http2", "hpack", "generic", "priority"};
  for (const auto& c : catalogue.cases) {
    for (auto slash = c.id.find('/'); slash != std::string::npos; slash = c.id.find('/', slash + 1))
      names.insert(c.id.substr(0, slash));
    names.insert(c.id);
    names.insert(c.aliases.begin(), c.aliases.end());
    if (c.spec == "RFC 9113" && c.group == "http2") add_section_prefixes("http2", c.section_number, &names);
    if (c.spec == "RFC 7541" && c.group == "hpack") add_section_prefixes("hpack", c.section_number, &names);
    for (const auto& id : c.h2spec_ids) {
      names.insert(id);
      const auto first = id.find('/'), last = id.rfind('/');
      if (first != std::string::npos && last > first)
        add_section_prefixes(id.substr(0, first), id.substr(first + 1, last - first - 1), &names);
    }
  }
  return names;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and adjacent swaps cost 1.
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

bool is_known_selector(const Catalogue& catalogue, std::string_view selector) {
  return std::any_of(catalogue.cases.begin(), catalogue.cases.end(),
                     [&](const Case& c) { return selector_matches(c, selector); });
}

std::string closest_selector(const Catalogue& catalogue, std::string_view selector) {
  const std::string wanted = lower(selector);
  const std::size_t limit = std::max<std::size_t>(2, wanted.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& name : known_names(catalogue)) {
    const std::size_t d = edit_distance(wanted, lower(name));
    if (d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

std::vector<const Case*> select_cases(const Catalogue& catalogue, const Selection& selection) {
  std::vector<const Case*> out;
  for (const auto& c : catalogue.cases) {
    if (c.role != selection.role) continue;
    if (!selection.strict && c.level != "MUST") continue;
    if (!selection.selectors.empty() && !any_matches(c, selection.selectors)) continue;
    if (any_matches(c, selection.excludes)) continue;
    out.push_back(&c);
  }
  return out;
}

}  // namespace h2conform::engine
