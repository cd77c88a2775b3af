#include "reports/case_list.h"

#include "reports/terminal_report.h"

namespace h2conform::reports {
namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

void field(std::ostream& out, const char* name, const std::string& value) {
  if (!value.empty()) out << name << ": " << printable(value) << '\n';
}

}  // namespace

void render_case_tree(const std::vector<const engine::Case*>& cases, std::ostream& out) {
  HeadingTracker headings;
  for (const engine::Case* c : cases) {
    headings.print_headings(c->section, out);
    out << "    " << printable(c->id);
    if (!c->h2spec_ids.empty()) out << " [" << printable(join(c->h2spec_ids, ", ")) << ']';
    if (c->level != "MUST") out << " (" << c->level << ')';
    out << ": " << printable(c->action) << '\n';
  }
  out << (cases.empty() ? "" : "\n") << cases.size() << (cases.size() == 1 ? " case" : " cases")
      << " selected\n";
}

void render_case_lines(const std::vector<const engine::Case*>& cases, std::ostream& out) {
  for (const engine::Case* c : cases) {
    const std::string h2spec = c->h2spec_ids.empty() ? "-" : join(c->h2spec_ids, ",");
    out << printable(c->id) << '\t' << c->level << '\t' << c->role << '\t' << printable(h2spec) << '\n';
  }
}

void render_case_details(const engine::Case& c, const engine::RequirementTable& requirements,
                         std::ostream& out) {
  field(out, "id", c.id);
  field(out, "file", c.file);
  field(out, "section", c.section);
  field(out, "level", c.level);
  field(out, "role", c.role);
  field(out, "group", c.group);
  field(out, "h2spec", join(c.h2spec_ids, ", "));
  field(out, "h2spec_note", c.h2spec_note);
  field(out, "tags", join(c.tags, ", "));
  if (c.timeout_ms > 0) out << "timeout_ms: " << c.timeout_ms << '\n';
  field(out, "requirement", c.requirement);
  field(out, "action", c.action);
  if (!c.requirement_ids.empty()) out << "requirements:\n";
  for (const auto& id : c.requirement_ids) {
    auto it = requirements.find(id);
    out << "  " << id;
    if (it != requirements.end())
      out << " (" << it->second.keyword << ", section " << it->second.section << "): " << printable(it->second.sentence);
    out << '\n';
  }
  field(out, "requirements_note", c.requirements_note);
  out << "steps:\n" << c.steps_source.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace h2conform::reports
