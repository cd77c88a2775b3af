#include "reports/json_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "reports/sample_run_test_util.h"

namespace h2conform::reports {
namespace {

// The source tree: $H2CONFORM_SOURCE_DIR, else the one this test was configured from.
std::string source_dir() {
  const char* dir = std::getenv("H2CONFORM_SOURCE_DIR");
  return dir != nullptr && dir[0] != '\0' ? dir : H2CONFORM_CONFIGURED_SOURCE_DIR;
}

using testing::sample_run;

// Every field of every struct, so that a field the mapping forgets fails the round trip.
auto fields(const engine::TranscriptEntry& e) {
  return std::tie(e.t_ms, e.direction, e.frame_type, e.stream_id, e.flags, e.length, e.summary,
                  e.raw_hex, e.raw_truncated, e.event);
}
bool same(const engine::CaseResult& a, const engine::CaseResult& b) {
  auto f = [](const engine::CaseResult& c) {
    return std::tie(c.id, c.section, c.level, c.requirement, c.action, c.requirement_ids, c.h2spec_ids,
                    c.group, c.verdict, c.reason, c.expected, c.observed, c.duration_ms, c.closed_by);
  };
  auto p = [](const engine::ClientProcess& x) {
    return std::tie(x.command, x.started, x.exited, x.exit_status, x.signal, x.killed, x.stdout_bytes,
                    x.stderr_tail, x.error, x.duration_ms);
  };
  if (a.client.has_value() != b.client.has_value() || (a.client && p(*a.client) != p(*b.client))) return false;
  if (f(a) != f(b) || a.transcript.size() != b.transcript.size()) return false;
  for (std::size_t i = 0; i < a.transcript.size(); ++i)
    if (fields(a.transcript[i]) != fields(b.transcript[i])) return false;
  return true;
}
bool same(const engine::RunResult& a, const engine::RunResult& b) {
  auto s = [](const engine::RunSettings& x) {
    return std::tie(x.host, x.port, x.tls, x.insecure, x.role, x.timeout_s, x.strict, x.parallel,
                    x.selectors, x.excludes, x.path, x.method);
  };
  auto r = [](const engine::RunResult& x) {
    return std::tie(x.schema_version, x.tool_version, x.target, x.started_at, x.duration_ms, x.interrupted,
                    x.harness_error);
  };
  if (r(a) != r(b) || s(a.settings) != s(b.settings) || a.cases.size() != b.cases.size()) return false;
  for (std::size_t i = 0; i < a.cases.size(); ++i)
    if (!same(a.cases[i], b.cases[i])) return false;
  return true;
}

bool write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

std::string write(const engine::RunResult& run) {
  std::ostringstream out;
  write_json_report(run, out);
  return out.str();
}

std::string read(const std::string& text, engine::RunResult* run) {
  std::istringstream in(text);
  return read_json_report(in, run);
}

TEST(JsonReport, RoundTripsEveryField) {
  auto run = sample_run();
  run.interrupted = true;
  run.settings.insecure = true;
  run.settings.timeout_s = 0.25;
  run.cases[0].duration_ms = 0.1 + 0.2;  // a double that needs every digit
  engine::RunResult back;
  ASSERT_EQ(read(write(run), &back), "");
  EXPECT_TRUE(same(run, back)) << write(back);
  EXPECT_EQ(write(back), write(run));
}

// The writer streams one case at a time; its text must be exactly the whole document's, with or
// without a harness error after the cases, and with invalid UTF-8 replaced the same way.
TEST(JsonReport, StreamedTextIsTheWholeDocumentsText) {
  auto run = sample_run();
  run.cases[1].reason = std::string("bad \xff octet");
  for (const bool with_error : {false, true}) {
    run.harness_error = with_error ? "stopped" : "";
    const std::string whole =
        nlohmann::ordered_json(run).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    EXPECT_EQ(write(run), whole);
  }
  run.cases.clear();
  EXPECT_EQ(write(run), nlohmann::ordered_json(run).dump(2) + "\n");
}

TEST(JsonReport, KeepsWhyARunCouldNotStart) {
  engine::RunResult run;
  run.target = "127.0.0.1:8080 (tcp)";
  EXPECT_EQ(write(run).find("harness_error"), std::string::npos) << "absent when every case could run";
  run.harness_error = "127.0.0.1:8080 answered HTTP/1.1 400 Bad Request, not HTTP/2";
  engine::RunResult back;
  ASSERT_EQ(read(write(run), &back), "");
  EXPECT_EQ(back.harness_error, run.harness_error);
  EXPECT_EQ(engine::exit_code_for(back), 2);
}

TEST(JsonReport, WritesSchemaVersionAndVerdictNames) {
  const auto j = nlohmann::json::parse(write(sample_run()));
  EXPECT_EQ(j.at("schema_version"), engine::kResultSchemaVersion);
  EXPECT_EQ(j.at("cases").at(2).at("verdict"), "non_strict");
  EXPECT_EQ(j.at("cases").at(5).at("verdict"), "target_down");
  EXPECT_EQ(j.at("cases").at(1).at("transcript").at(1).at("direction"), "tx");
}

TEST(JsonReport, ReplacesInvalidUtf8InsteadOfThrowing) {
  auto run = sample_run();
  run.cases[1].observed = testing::hostile_text();
  engine::RunResult back;
  ASSERT_EQ(read(write(run), &back), "");
  EXPECT_NE(back.cases[1].observed.find("\xef\xbf\xbd"), std::string::npos);
  EXPECT_NE(back.cases[1].observed.find("\x1b[31m"), std::string::npos);
}

struct BadRow {
  const char* name;
  const char* text;
  const char* error_start;
  friend void PrintTo(const BadRow& row, std::ostream* os) { *os << row.name; }
};
class JsonReportBad : public ::testing::TestWithParam<BadRow> {};
TEST_P(JsonReportBad, SaysWhereTheFileIsWrong) {
  engine::RunResult run;
  const std::string error = read(GetParam().text, &run);
  EXPECT_EQ(error.rfind(GetParam().error_start, 0), 0u) << error;
}
INSTANTIATE_TEST_SUITE_P(
    Rows, JsonReportBad,
    ::testing::Values(
        BadRow{"not_json", "{", "not JSON"},
        // nlohmann throws out_of_range, not parse_error, for it (corpus: fuzzers/corpus/results_json).
        BadRow{"number_overflow", "[1e3001, 2", "not JSON"},
        BadRow{"not_object", "[]", "/: expected an object"},
        BadRow{"no_version", R"({"cases": []})", "/schema_version: missing"},
        BadRow{"newer_version", R"({"schema_version": 99, "cases": []})", "/schema_version: 99 is not supported"},
        BadRow{"no_cases", R"({"schema_version": 1})", "/cases: missing"},
        BadRow{"unknown_verdict", R"({"schema_version": 1, "cases": [{"id": "x", "verdict": "maybe"}]})",
               "/cases/0/verdict: unknown verdict \"maybe\""},
        BadRow{"case_without_id", R"({"schema_version": 1, "cases": [{"verdict": "pass"}]})", "/cases/0/id: missing"},
        BadRow{"wrong_type", R"({"schema_version": 1, "cases": [{"id": "x", "verdict": "pass",
               "transcript": [{"t_ms": "soon"}]}]})", "/cases/0/transcript/0/t_ms: "},
        // Integers must be JSON integers in range (corpus: fuzzers/corpus/results_json).
        BadRow{"huge_version", R"({"schema_version": 1e300, "cases": []})",
               "/schema_version: type must be an integer, but is a fraction"},
        BadRow{"port_out_of_range", R"({"schema_version": 1, "settings": {"port": 70000}, "cases": []})",
               "/settings/port: 70000 is out of range (0 to 65535)"},
        BadRow{"negative_stream_id", R"({"schema_version": 1, "cases": [{"id": "x", "verdict": "pass",
               "transcript": [{"stream_id": -1}]}]})", "/cases/0/transcript/0/stream_id: -1 is out of range"},
        BadRow{"bad_direction", R"({"schema_version": 1, "cases": [{"id": "x", "verdict": "pass",
               "transcript": [{"direction": "up"}]}]})", "/cases/0/transcript/0/direction: unknown"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(JsonReport, WritesFilesAtomically) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("h2c-json-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "results.json";
  ASSERT_EQ(write_json_report_file(sample_run(), path), "");
  EXPECT_FALSE(std::filesystem::exists(dir / "results.json.tmp"));
  engine::RunResult back;
  ASSERT_EQ(read_json_report_file(path, &back), "");
  EXPECT_TRUE(same(sample_run(), back));
  EXPECT_NE(write_json_report_file(sample_run(), dir / "no" / "such" / "dir.json"), "");
  EXPECT_NE(read_json_report_file(dir / "absent.json", &back).find("cannot open"), std::string::npos);
}

// Validates `text` against reports/results.schema.json with Python's jsonschema; returns the
// exit status (0: valid).
int validate_with_schema(const std::string& text, const std::string& name) {
  const std::string source = source_dir();
  const auto path = std::filesystem::temp_directory_path() /
                    ("h2c-json-schema-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                     "-" + name + ".json");
  if (!write_text_file(path, text)) return -1;
  const std::string command =
      "timeout 60 python3 -c 'import json, sys, jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' '" +
      std::string(source) + "/reports/results.schema.json' '" + path.string() + "' >/dev/null 2>&1";
  return std::system(command.c_str());
}

engine::RunResult client_run() {
  engine::RunResult run = sample_run();
  run.settings.role = "client";
  engine::ClientProcess p;
  p.command = "curl -sS --http2-prior-knowledge 'http://127.0.0.1:40000/'";
  p.started = true;
  p.exited = true;
  p.exit_status = 0;
  p.stdout_bytes = 12;
  p.stderr_tail = "curl: (16) Error in the HTTP2 framing layer\n";
  p.duration_ms = 15.5;
  run.cases[1].client = p;
  engine::ClientProcess killed;
  killed.command = "sleep 9";
  killed.started = true;
  killed.signal = 15;
  killed.killed = true;
  run.cases[0].client = killed;
  return run;
}

TEST(JsonReport, RoundTripsTheClientProcess) {
  const engine::RunResult run = client_run();
  const std::string text = write(run);
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j.at("cases").at(1).at("client").at("exit_status"), 0);
  EXPECT_EQ(j.at("cases").at(0).at("client").at("killed"), true);
  EXPECT_FALSE(j.at("cases").at(2).contains("client"));  // no client ran: no field
  engine::RunResult back;
  ASSERT_EQ(read(text, &back), "");
  EXPECT_TRUE(same(run, back));
  EXPECT_EQ(back.settings.role, "client");
  EXPECT_FALSE(back.cases[2].client.has_value());
}

TEST(JsonReport, ReadsEveryVersionUpToOurs) {
  for (int version = 1; version <= engine::kResultSchemaVersion; ++version) {
    engine::RunResult back;
    EXPECT_EQ(read(R"({"schema_version": )" + std::to_string(version) + R"(, "cases": [{"id": "x", "verdict": "pass"}]})",
                   &back), "") << version;
    ASSERT_EQ(back.cases.size(), 1u);
    EXPECT_FALSE(back.cases[0].client.has_value());
  }
  engine::RunResult back;
  EXPECT_NE(read(R"({"schema_version": 3, "cases": [{"id": "x", "verdict": "pass", "client": {"exit_status": "0"}}]})", &back)
                .find("/cases/0/client/exit_status"), std::string::npos);
}

TEST(JsonReport, MatchesTheSchema) {
  if (std::system("timeout 30 python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 with jsonschema is not installed";
  EXPECT_EQ(validate_with_schema(write(sample_run()), "good"), 0);
  EXPECT_EQ(validate_with_schema(write(client_run()), "client"), 0);
  engine::RunResult not_run;
  not_run.harness_error = "127.0.0.1:8080 sent nothing";
  EXPECT_EQ(validate_with_schema(write(not_run), "not-run"), 0);
  auto bad = nlohmann::json::parse(write(sample_run()));
  bad["cases"][0]["verdict"] = "maybe";
  EXPECT_NE(validate_with_schema(bad.dump(), "bad-verdict"), 0);
  bad = nlohmann::json::parse(write(sample_run()));
  bad["cases"][0]["surprise"] = 1;
  EXPECT_NE(validate_with_schema(bad.dump(), "unknown-field"), 0);
}

}  // namespace
}  // namespace h2conform::reports
