// Case selection with h2spec-compatible selectors (cases/README.md, compat/README.md).
#include <string_view>

#include "runner/engine/engine.h"

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
  return rfc_section_matches(c, selector) || path_covers(selector, c.id) || h2spec_matches(c, selector);
}

bool any_matches(const Case& c, const std::vector<std::string>& selectors) {
  for (const auto& s : selectors) {
    if (selector_matches(c, s)) return true;
  }
  return false;
}

}  // namespace

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
