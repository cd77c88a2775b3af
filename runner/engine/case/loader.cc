// Case-file loader: top-level fields, matrix expansion, catalogue walk (cases/README.md).
#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "runner/engine/model/case_order.h"
#include "runner/engine/case/loader.h"
#include "runner/engine/case/loader_internal.h"
#include "runner/engine/case/script.h"

namespace h2conform::engine {
namespace {

using load::Ctx;
using load::has_key;
using nlohmann::json;

struct SpecRow {
  std::string_view prefix;
  std::string_view group;
};
constexpr SpecRow kSpecs[] = {
    {"rfc9113", "http2"},    {"rfc7541", "hpack"},    {"rfc9218", "priority"},
    {"rfc7540", "priority"}, {"rfc8441", "http2"},    {"generic", "generic"},
};

std::string group_for(std::string_view spec) {
  for (const auto& row : kSpecs) {
    if (row.prefix == spec) return std::string(row.group);
  }
  return {};
}

void check_id(const std::string& id, const Ctx& ctx) {
  static const std::regex kShape("[a-z0-9.-]+(/[a-z0-9.-]+){2,}");
  if (!std::regex_match(id, kShape)) {
    ctx.fail("id \"" + id + "\" is not <spec>/<section>/<slug> in lower case [a-z0-9.-]");
  }
  std::string spec = id.substr(0, id.find('/'));
  if (group_for(spec).empty()) {
    ctx.fail("id \"" + id + "\" starts with unknown spec \"" + spec +
             "\" (rfc9113, rfc7541, rfc9218, rfc7540, rfc8441, generic)");
  }
}

// "RFC 9113 6.8" -> spec "RFC 9113", number "6.8".
void parse_section(const std::string& text, const std::string& id, const Ctx& ctx, Case* c) {
  static const std::regex kSection("RFC ([0-9]{4}) ([0-9A-Za-z]+(\\.[0-9A-Za-z]+)*)");
  std::smatch m;
  if (!std::regex_match(text, m, kSection)) ctx.fail("section is written \"RFC 9113 6.8\"");
  c->spec = "RFC " + m[1].str();
  c->section_number = m[2].str();
  if (id.starts_with("rfc") && id.substr(3, 4) != m[1].str()) {
    ctx.fail("section \"" + text + "\" is not in the id's spec " + id.substr(0, 7));
  }
}

std::vector<std::string> check_string_list(const json& value, const Ctx& ctx) {
  if (!value.is_array()) ctx.fail("expected a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(load::check_string(value[i], ctx.at(i)));
  return out;
}

void check_requirement_ids(const json& value, const json& object, const Ctx& ctx,
                           const RequirementTable& table, Case* c) {
  c->requirement_ids = check_string_list(value, ctx);
  static const std::regex kShape("[0-9]{4}-[0-9A-Za-z.]+-[0-9]+");
  for (std::size_t i = 0; i < c->requirement_ids.size(); ++i) {
    const std::string& rid = c->requirement_ids[i];
    if (!std::regex_match(rid, kShape)) ctx.at(i).fail("requirement id \"" + rid + "\" is not like 9113-6.8-3");
    // An empty table means no specs were loaded (e.g. a fuzzer): shape checks only.
    if (!table.empty() && table.count(rid) == 0) ctx.at(i).fail("unknown requirement id \"" + rid + "\"");
  }
  if (c->requirement_ids.empty() && !has_key(object, "requirements_note")) {
    ctx.fail("requirements may be empty only with a requirements_note saying why");
  }
}

void check_h2spec_ids(const json& value, const Ctx& ctx, Case* c) {
  c->h2spec_ids = check_string_list(value, ctx);
  static const std::regex kShape("[a-z0-9]+(/[0-9.]+)*/[0-9]+");
  for (std::size_t i = 0; i < c->h2spec_ids.size(); ++i) {
    if (!std::regex_match(c->h2spec_ids[i], kShape)) {
      ctx.at(i).fail("h2spec id \"" + c->h2spec_ids[i] + "\" is not like http2/6.8/1");
    }
  }
}

// "aliases": earlier ids of the case, each shaped like an id and none its own id. A matrix row
// gets each top-level alias with its row name appended, as its id gets it, plus the exact ids
// of its own "aliases" (a row that was renamed or merged from elsewhere).
std::vector<std::string> check_aliases(const json& value, const Ctx& ctx, const std::string& id) {
  std::vector<std::string> out = check_string_list(value, ctx);
  for (std::size_t i = 0; i < out.size(); ++i) {
    check_id(out[i], ctx.at(i));
    if (out[i] == id) ctx.at(i).fail("alias \"" + out[i] + "\" is the case's own id");
  }
  return out;
}

void check_tags(const json& value, const Ctx& ctx, Case* c) {
  c->tags = check_string_list(value, ctx);
  static const std::regex kTag("[a-z0-9-]+");
  for (std::size_t i = 0; i < c->tags.size(); ++i) {
    if (!std::regex_match(c->tags[i], kTag)) ctx.at(i).fail("a tag is lower case [a-z0-9-]");
  }
}

// Validates one expanded case object (matrix values already substituted) and converts its
// steps and "tls" field to the typed script.
Case build_case(const json& obj, const Ctx& ctx, const std::string& id, const RequirementTable& table) {
  Case c;
  c.id = id;
  c.file = ctx.file();
  std::string spec = id.substr(0, id.find('/'));
  c.group = group_for(spec);
  parse_section(load::check_string(load::require_key(obj, ctx, "section"), ctx.at("section")), id,
                ctx.at("section"), &c);
  c.section = obj["section"].get<std::string>();
  c.level = load::check_string(load::require_key(obj, ctx, "level"), ctx.at("level"));
  if (c.level != "MUST" && c.level != "SHOULD" && c.level != "MAY") {
    ctx.at("level").fail("level is MUST, SHOULD or MAY");
  }
  check_requirement_ids(load::require_key(obj, ctx, "requirements"), obj, ctx.at("requirements"), table, &c);
  if (has_key(obj, "requirements_note")) {
    c.requirements_note = load::check_nonempty_string(obj["requirements_note"], ctx.at("requirements_note"));
  }
  if (has_key(obj, "h2spec")) check_h2spec_ids(obj["h2spec"], ctx.at("h2spec"), &c);
  if (has_key(obj, "h2spec_note")) c.h2spec_note = load::check_nonempty_string(obj["h2spec_note"], ctx.at("h2spec_note"));
  c.requirement = load::check_nonempty_string(load::require_key(obj, ctx, "requirement"), ctx.at("requirement"));
  c.action = load::check_nonempty_string(load::require_key(obj, ctx, "action"), ctx.at("action"));
  c.role = load::check_string(load::require_key(obj, ctx, "role"), ctx.at("role"));
  if (c.role != "server" && c.role != "client") ctx.at("role").fail("role is \"server\" or \"client\"");
  if (has_key(obj, "tags")) check_tags(obj["tags"], ctx.at("tags"), &c);
  if (has_key(obj, "timeout_ms")) {
    c.timeout_ms = static_cast<int>(load::check_uint(obj["timeout_ms"], ctx.at("timeout_ms"), 1, 60000));
  }
  Script script;
  if (has_key(obj, "tls")) script.tls = check_tls_field(obj["tls"], ctx.at("tls"));
  const json& steps = load::require_key(obj, ctx, "steps");
  if (script.tls && tls_field_decides_alone(*script.tls)) {  // the "tls" field judges the case alone
    if (!steps.is_array() || !steps.empty()) {
      ctx.at("steps").fail("steps must be []: the \"tls\" field decides this case alone");
    }
  } else {
    script.steps = load::check_steps(steps, ctx.at("steps"), 0);
  }
  if (has_key(obj, "client_exit")) {
    const std::string& rule = load::check_string(obj["client_exit"], ctx.at("client_exit"));
    if (c.role != kTargetClient) ctx.at("client_exit").fail("client_exit is for cases whose role is \"client\"");
    if (rule == "success") {
      script.client_exit = ClientExitRule::kSuccess;
    } else if (rule == "failure") {
      script.client_exit = ClientExitRule::kFailure;
    } else if (rule != "any") {
      ctx.at("client_exit").fail("client_exit is \"success\", \"failure\" or \"any\"");
    }
  }
  c.steps_source = steps;
  c.script = std::make_shared<const Script>(std::move(script));
  return c;
}

// {{var}} substitution: a whole-string reference takes the value's JSON type.
void substitute(json& value, const json& vars, const Ctx& ctx) {
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) substitute(value[i], vars, ctx.at(i));
    return;
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) substitute(it.value(), vars, ctx.at(it.key()));
    return;
  }
  if (!value.is_string()) return;
  std::string text = value.get<std::string>();
  if (text.find("{{") == std::string::npos) return;
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) ctx.fail("unclosed \"{{\"");
    std::string name = text.substr(open + 2, close - open - 2);
    if (!vars.is_object() || !vars.contains(name)) ctx.fail("no matrix variable \"" + name + "\"");
    const json& v = vars[name];
    if (open == 0 && close + 2 == text.size()) {
      value = v;
      return;
    }
    out += text.substr(pos, open - pos);
    out += v.is_string() ? v.get<std::string>() : v.dump();
    pos = close + 2;
  }
  out += text.substr(pos);
  value = out;
}

void expand_case(const json& obj, const Ctx& ctx, const RequirementTable& table, std::vector<Case>* out) {
  load::check_keys(obj, ctx, {"id", "section", "level", "requirements", "requirements_note", "h2spec",
                              "h2spec_note", "requirement", "action", "role", "tags", "timeout_ms",
                              "matrix", "steps", "tls", "aliases", "client_exit"});
  const std::string& id = load::check_string(load::require_key(obj, ctx, "id"), ctx.at("id"));
  check_id(id, ctx.at("id"));
  std::vector<std::string> aliases;
  if (has_key(obj, "aliases")) aliases = check_aliases(obj["aliases"], ctx.at("aliases"), id);
  if (!has_key(obj, "matrix")) {
    json copy = obj;
    for (const char* key : {"steps", "requirement", "action"}) {
      if (copy.contains(key)) substitute(copy[key], json::object(), ctx.at(key));
    }
    out->push_back(build_case(copy, ctx, id, table));
    out->back().aliases = aliases;
    return;
  }
  const json& matrix = obj["matrix"];
  Ctx mc = ctx.at("matrix");
  if (!matrix.is_array() || matrix.empty()) mc.fail("matrix is a non-empty list of rows");
  std::set<std::string> names;
  for (std::size_t i = 0; i < matrix.size(); ++i) {
    load::check_keys(matrix[i], mc.at(i), {"name", "vars", "aliases"});
    const std::string& name = load::check_string(load::require_key(matrix[i], mc.at(i), "name"), mc.at(i).at("name"));
    static const std::regex kName("[a-z0-9.-]+");
    if (!std::regex_match(name, kName)) mc.at(i).at("name").fail("a row name is lower case [a-z0-9.-]");
    if (!names.insert(name).second) mc.at(i).at("name").fail("duplicate row name \"" + name + "\"");
    const json& vars = load::require_key(matrix[i], mc.at(i), "vars");
    if (!vars.is_object()) mc.at(i).at("vars").fail("vars is an object");
    Ctx row_ctx(ctx.file(), ctx.pointer(), "matrix row " + name);
    json copy = obj;
    copy.erase("matrix");
    for (const char* key : {"steps", "requirement", "action"}) {
      if (copy.contains(key)) substitute(copy[key], vars, row_ctx.at(key));
    }
    out->push_back(build_case(copy, row_ctx, id + "/" + name, table));
    for (const auto& alias : aliases) out->back().aliases.push_back(alias + "/" + name);
    if (has_key(matrix[i], "aliases")) {
      for (auto& alias : check_aliases(matrix[i]["aliases"], mc.at(i).at("aliases"), id + "/" + name))
        out->back().aliases.push_back(std::move(alias));
    }
  }
}

}  // namespace

std::vector<Case> load_case_text(const std::string& text, const std::string& file_name,
                                 const RequirementTable& requirements) {
  json doc;
  try {
    doc = json::parse(text, nullptr, true, true);
  } catch (const json::exception& e) {
    throw LoadError(file_name, "", std::string("not valid JSON: ") + e.what());
  }
  Ctx root(file_name, "");
  std::vector<Case> cases;
  if (has_key(doc, "cases")) {
    load::check_keys(doc, root, {"cases"});
    const json& list = doc["cases"];
    if (!list.is_array() || list.empty()) root.at("cases").fail("cases is a non-empty list");
    for (std::size_t i = 0; i < list.size(); ++i) expand_case(list[i], root.at("cases").at(i), requirements, &cases);
  } else {
    expand_case(doc, root, requirements, &cases);
  }
  std::set<std::string> ids;
  for (const auto& c : cases) {
    if (!ids.insert(c.id).second) throw LoadError(file_name, "", "duplicate id \"" + c.id + "\"");
    for (const auto& alias : c.aliases) {
      if (!ids.insert(alias).second) throw LoadError(file_name, "", "duplicate id \"" + alias + "\" (an alias)");
    }
  }
  return cases;
}

std::map<std::string, std::string> alias_index(const Catalogue& catalogue) {
  std::map<std::string, std::string> out;
  for (const auto& c : catalogue.cases) {
    for (const auto& alias : c.aliases) out.emplace(alias, c.id);
  }
  return out;
}

Catalogue load_catalogue(const std::filesystem::path& dir, const RequirementTable& requirements) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) {
    throw LoadError(dir.string(), "",
                    "cannot read the folder of case files (--cases names another folder): " + ec.message());
  }
  std::sort(files.begin(), files.end());
  // The files are parsed on every core (loading is most of a fast run's start-up), then merged in
  // file order, so the first error reported is the same whatever the threads did.
  struct Parsed {
    std::string name;
    std::vector<Case> cases;
    std::exception_ptr error;
  };
  std::vector<Parsed> parsed(files.size());
  std::atomic<std::size_t> next{0};
  auto work = [&]() {
    for (std::size_t i = next.fetch_add(1); i < files.size(); i = next.fetch_add(1)) {
      Parsed& p = parsed[i];
      p.name = fs::relative(files[i], dir).generic_string();
      std::ifstream in(files[i], std::ios::binary);
      if (!in) {
        p.error = std::make_exception_ptr(LoadError(p.name, "", "cannot read the file"));
        continue;
      }
      std::ostringstream text;
      text << in.rdbuf();
      try {
        p.cases = load_case_text(text.str(), p.name, requirements);
      } catch (...) {  // rethrown below, in file order
        p.error = std::current_exception();
      }
    }
  };
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < std::min(threads, files.size()); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  Catalogue catalogue;
  std::map<std::string, std::string> seen;  // id -> file
  for (Parsed& p : parsed) {
    if (p.error) std::rethrow_exception(p.error);
    const std::string& name = p.name;
    for (auto& c : p.cases) {
      std::vector<std::string> names = c.aliases;
      names.push_back(c.id);
      for (const auto& id : names) {  // an alias is an id too: it may not name two cases
        auto [it, inserted] = seen.emplace(id, name);
        if (!inserted) throw LoadError(name, "", "duplicate id \"" + id + "\", also in " + it->second);
      }
      catalogue.cases.push_back(std::move(c));
    }
  }
  std::sort(catalogue.cases.begin(), catalogue.cases.end(),
            [](const Case& a, const Case& b) { return catalogue_less(a.section, a.id, b.section, b.id); });
  return catalogue;
}

}  // namespace h2conform::engine
