#include "reports/json_report.h"

#include <cstdint>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "reports/atomic_file.h"

namespace h2conform::engine {
namespace {

using reports::direction_name;
using reports::parse_direction;

// Runs `read`, prefixing any error with the JSON pointer of the part being read, so that
// nested failures come out as "/cases/2/transcript/0/t_ms: type must be number, ...".
template <typename F>
void at_pointer(const std::string& pointer, F read) {
  try {
    read();
  } catch (const std::exception& e) {
    std::string what = e.what();
    throw std::runtime_error(pointer + (what.starts_with("/") ? "" : ": ") + what);
  }
}

// An integer member comes only from a JSON integer within the member's range: nlohmann's own
// conversion casts 1e300 into an int (undefined behaviour) and wraps 70000 into a port.
template <typename T>
T get_value(const nlohmann::json& v) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!v.is_number_integer()) {
      throw std::runtime_error(std::string("type must be an integer, but is ") +
                               (v.is_number() ? "a fraction" : v.type_name()));
    }
    constexpr auto lo = static_cast<std::int64_t>(std::numeric_limits<T>::min());
    constexpr auto hi = static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    bool in_range = false;
    if (v.is_number_unsigned()) {
      in_range = v.get<std::uint64_t>() <= hi;
    } else {
      const auto n = v.get<std::int64_t>();
      in_range = n >= lo && (n < 0 || static_cast<std::uint64_t>(n) <= hi);
    }
    if (!in_range) {
      throw std::runtime_error(v.dump() + " is out of range (" + std::to_string(lo) + " to " +
                               std::to_string(hi) + ")");
    }
    return v.is_number_unsigned() ? static_cast<T>(v.get<std::uint64_t>())
                                  : static_cast<T>(v.get<std::int64_t>());
  } else {
    return v.get<T>();
  }
}

// Reads an optional member; a present member of the wrong type is an error.
template <typename T>
void get_optional(const nlohmann::json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end()) return;
  at_pointer(std::string("/") + key, [&] { *out = get_value<T>(*it); });
}

template <typename T>
void get_required(const nlohmann::json& j, const char* key, T* out) {
  if (!j.contains(key)) throw std::runtime_error(std::string("/") + key + ": missing");
  get_optional(j, key, out);
}

void require_object(const nlohmann::json& j) {
  if (!j.is_object()) throw std::runtime_error(std::string("expected an object, got ") + j.type_name());
}

}  // namespace

void to_json(nlohmann::ordered_json& j, const TranscriptEntry& e) {
  j = nlohmann::ordered_json{{"t_ms", e.t_ms},         {"direction", direction_name(e.direction)},
                             {"frame_type", e.frame_type}, {"stream_id", e.stream_id},
                             {"flags", e.flags},       {"length", e.length},
                             {"summary", e.summary},   {"raw_hex", e.raw_hex},
                             {"raw_truncated", e.raw_truncated}, {"event", e.event}};
}

void to_json(nlohmann::ordered_json& j, const ClientProcess& p) {
  j = nlohmann::ordered_json{{"command", p.command},       {"started", p.started},
                             {"exited", p.exited},         {"exit_status", p.exit_status},
                             {"signal", p.signal},         {"killed", p.killed},
                             {"stdout_bytes", p.stdout_bytes}, {"stderr_tail", p.stderr_tail},
                             {"error", p.error},           {"duration_ms", p.duration_ms}};
}

void to_json(nlohmann::ordered_json& j, const CaseResult& c) {
  j = nlohmann::ordered_json{{"id", c.id},
                             {"section", c.section},
                             {"level", c.level},
                             {"group", c.group},
                             {"requirement", c.requirement},
                             {"action", c.action},
                             {"requirement_ids", c.requirement_ids},
                             {"h2spec_ids", c.h2spec_ids},
                             {"verdict", to_string(c.verdict)},
                             {"generic_code", c.generic_code},
                             {"reason", c.reason},
                             {"expected", c.expected},
                             {"observed", c.observed},
                             {"duration_ms", c.duration_ms},
                             {"closed_by", c.closed_by},
                             {"transcript", c.transcript}};
  if (c.client) j["client"] = *c.client;
}

void to_json(nlohmann::ordered_json& j, const RunSettings& s) {
  j = nlohmann::ordered_json{{"host", s.host},       {"port", s.port},
                             {"tls", s.tls},         {"insecure", s.insecure},
                             {"role", s.role},       {"timeout_s", s.timeout_s},
                             {"strict", s.strict},   {"parallel", s.parallel},
                             {"selectors", s.selectors}, {"excludes", s.excludes},
                             {"path", s.path},       {"method", s.method}};
}

void to_json(nlohmann::ordered_json& j, const RunResult& r) {
  j = nlohmann::ordered_json{{"schema_version", r.schema_version},
                             {"tool_version", r.tool_version},
                             {"target", r.target},
                             {"started_at", r.started_at},
                             {"duration_ms", r.duration_ms},
                             {"interrupted", r.interrupted},
                             {"settings", r.settings},
                             {"cases", r.cases}};
  if (!r.harness_error.empty()) j["harness_error"] = r.harness_error;
}

void from_json(const nlohmann::json& j, TranscriptEntry& e) {
  require_object(j);
  e = TranscriptEntry{};
  std::string direction = "event";
  get_optional(j, "direction", &direction);
  if (!parse_direction(direction, &e.direction))
    throw std::runtime_error("/direction: unknown direction \"" + direction + "\"");
  get_optional(j, "t_ms", &e.t_ms);
  get_optional(j, "frame_type", &e.frame_type);
  get_optional(j, "stream_id", &e.stream_id);
  get_optional(j, "flags", &e.flags);
  get_optional(j, "length", &e.length);
  get_optional(j, "summary", &e.summary);
  get_optional(j, "raw_hex", &e.raw_hex);
  get_optional(j, "raw_truncated", &e.raw_truncated);
  get_optional(j, "event", &e.event);
}

void from_json(const nlohmann::json& j, ClientProcess& p) {
  require_object(j);
  p = ClientProcess{};
  get_optional(j, "command", &p.command);
  get_optional(j, "started", &p.started);
  get_optional(j, "exited", &p.exited);
  get_optional(j, "exit_status", &p.exit_status);
  get_optional(j, "signal", &p.signal);
  get_optional(j, "killed", &p.killed);
  get_optional(j, "stdout_bytes", &p.stdout_bytes);
  get_optional(j, "stderr_tail", &p.stderr_tail);
  get_optional(j, "error", &p.error);
  get_optional(j, "duration_ms", &p.duration_ms);
}

void from_json(const nlohmann::json& j, CaseResult& c) {
  require_object(j);
  c = CaseResult{};
  get_required(j, "id", &c.id);
  std::string verdict;
  get_required(j, "verdict", &verdict);
  if (!parse_verdict(verdict, &c.verdict))
    throw std::runtime_error("/verdict: unknown verdict \"" + verdict + "\"");
  get_optional(j, "section", &c.section);
  get_optional(j, "level", &c.level);
  get_optional(j, "group", &c.group);
  get_optional(j, "requirement", &c.requirement);
  get_optional(j, "action", &c.action);
  get_optional(j, "requirement_ids", &c.requirement_ids);
  get_optional(j, "h2spec_ids", &c.h2spec_ids);
  get_optional(j, "reason", &c.reason);
  get_optional(j, "expected", &c.expected);
  get_optional(j, "observed", &c.observed);
  get_optional(j, "duration_ms", &c.duration_ms);
  get_optional(j, "closed_by", &c.closed_by);
  get_optional(j, "generic_code", &c.generic_code);
  if (auto client = j.find("client"); client != j.end()) {
    at_pointer("/client", [&] { c.client = client->get<ClientProcess>(); });
  }
  auto it = j.find("transcript");
  if (it == j.end()) return;
  at_pointer("/transcript", [&] {
    if (!it->is_array()) throw std::runtime_error("expected an array");
    for (std::size_t i = 0; i < it->size(); ++i)
      at_pointer("/" + std::to_string(i), [&] { c.transcript.push_back((*it)[i].get<TranscriptEntry>()); });
  });
}

void from_json(const nlohmann::json& j, RunSettings& s) {
  require_object(j);
  s = RunSettings{};
  get_optional(j, "host", &s.host);
  get_optional(j, "port", &s.port);
  get_optional(j, "tls", &s.tls);
  get_optional(j, "insecure", &s.insecure);
  get_optional(j, "role", &s.role);
  get_optional(j, "timeout_s", &s.timeout_s);
  get_optional(j, "strict", &s.strict);
  get_optional(j, "parallel", &s.parallel);
  get_optional(j, "selectors", &s.selectors);
  get_optional(j, "excludes", &s.excludes);
  get_optional(j, "path", &s.path);
  get_optional(j, "method", &s.method);
}

void from_json(const nlohmann::json& j, RunResult& r) {
  require_object(j);
  r = RunResult{};
  get_required(j, "schema_version", &r.schema_version);
  if (r.schema_version < 1 || r.schema_version > kResultSchemaVersion)
    throw std::runtime_error("/schema_version: " + std::to_string(r.schema_version) +
                             " is not supported (this tool reads 1 to " +
                             std::to_string(kResultSchemaVersion) + ")");
  get_optional(j, "tool_version", &r.tool_version);
  get_optional(j, "target", &r.target);
  get_optional(j, "started_at", &r.started_at);
  get_optional(j, "duration_ms", &r.duration_ms);
  get_optional(j, "interrupted", &r.interrupted);
  get_optional(j, "harness_error", &r.harness_error);
  get_optional(j, "settings", &r.settings);
  if (!j.contains("cases")) throw std::runtime_error("/cases: missing");
  at_pointer("/cases", [&] {
    const auto& cases = j.at("cases");
    if (!cases.is_array()) throw std::runtime_error("expected an array");
    for (std::size_t i = 0; i < cases.size(); ++i)
      at_pointer("/" + std::to_string(i), [&] { r.cases.push_back(cases[i].get<CaseResult>()); });
  });
}

}  // namespace h2conform::engine

namespace h2conform::reports {

std::string direction_name(engine::Direction direction) {
  switch (direction) {
    case engine::Direction::kSent: return "tx";
    case engine::Direction::kReceived: return "rx";
    case engine::Direction::kEvent: return "event";
  }
  return "event";
}

bool parse_direction(const std::string& text, engine::Direction* out) {
  if (text == "tx") *out = engine::Direction::kSent;
  else if (text == "rx") *out = engine::Direction::kReceived;
  else if (text == "event") *out = engine::Direction::kEvent;
  else return false;
  return true;
}

// The same text as dumping the whole run with an indent of two, written one case at a time: a
// document of the whole run would cost several times the results' own memory (a hostile target
// fills every transcript). Peer bytes may reach reasons and summaries: never throw on invalid
// UTF-8, replace it.
void write_json_report(const engine::RunResult& run, std::ostream& out) {
  constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;
  engine::RunResult header;
  header.schema_version = run.schema_version;
  header.tool_version = run.tool_version;
  header.target = run.target;
  header.started_at = run.started_at;
  header.duration_ms = run.duration_ms;
  header.interrupted = run.interrupted;
  header.harness_error = run.harness_error;
  header.settings = run.settings;
  const std::string text = nlohmann::ordered_json(header).dump(2, ' ', false, kReplace);
  static constexpr std::string_view kEmptyCases = "\"cases\": []";
  const std::size_t at = text.find(kEmptyCases);
  if (run.cases.empty() || at == std::string::npos) {
    out << nlohmann::ordered_json(run).dump(2, ' ', false, kReplace) << '\n';
    return;
  }
  out << std::string_view(text).substr(0, at) << "\"cases\": [";
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    const std::string one = nlohmann::ordered_json(run.cases[i]).dump(2, ' ', false, kReplace);
    out << (i == 0 ? "\n    " : ",\n    ");
    for (char ch : one) {
      out << ch;
      if (ch == '\n') out << "    ";  // JSON strings hold no raw newlines: every one is layout
    }
  }
  out << "\n  ]" << std::string_view(text).substr(at + kEmptyCases.size()) << '\n';
}

std::string write_json_report_file(const engine::RunResult& run, const std::filesystem::path& path) {
  return write_file_atomically(path, [&](std::ostream& out) { write_json_report(run, out); });
}

std::string read_json_report(std::istream& in, engine::RunResult* run) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in, nullptr, true, false);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e9999
    return std::string("not JSON: ") + e.what();
  }
  try {
    j.get_to(*run);
  } catch (const std::exception& e) {
    std::string what = e.what();
    return what.starts_with("/") ? what : "/: " + what;
  }
  return {};
}

std::string read_json_report_file(const std::filesystem::path& path, engine::RunResult* run) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return path.string() + ": cannot open";
  std::string error = read_json_report(in, run);
  return error.empty() ? error : path.string() + ": " + error;
}

}  // namespace h2conform::reports
