// The canonical results file: the nlohmann-json mapping of engine/result.h, both ways.
//
// Contract: pure functions of plain data. Writing never throws for any RunResult (invalid
// UTF-8 from a peer is replaced by U+FFFD); reading returns errors as values ("/cases/3/verdict:
// unknown verdict "maybe""). The format is described by results.schema.json and docs/results.md;
// a change to it bumps engine::kResultSchemaVersion.
#pragma once

#include <filesystem>
#include <istream>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/engine/model/result.h"

namespace h2conform::engine {

// ADL hooks for nlohmann-json (they must live in the structs' namespace). Writing uses
// ordered_json so that files keep a readable field order; reading takes any json object and
// throws nlohmann::json exceptions or std::runtime_error on bad input (read_json_report
// turns those into values).
void to_json(nlohmann::ordered_json& j, const TranscriptEntry& e);
void to_json(nlohmann::ordered_json& j, const CaseResult& c);
void to_json(nlohmann::ordered_json& j, const RunSettings& s);
void to_json(nlohmann::ordered_json& j, const RunResult& r);
void from_json(const nlohmann::json& j, TranscriptEntry& e);
void from_json(const nlohmann::json& j, CaseResult& c);
void from_json(const nlohmann::json& j, RunSettings& s);
void from_json(const nlohmann::json& j, RunResult& r);

}  // namespace h2conform::engine

namespace h2conform::reports {

// "tx", "rx", "event".
std::string direction_name(engine::Direction direction);
bool parse_direction(const std::string& text, engine::Direction* out);

// Writes the run as pretty-printed JSON (two-space indent, trailing newline).
void write_json_report(const engine::RunResult& run, std::ostream& out);
// write_json_report into `path` atomically; returns "" or an error message.
std::string write_json_report_file(const engine::RunResult& run, const std::filesystem::path& path);

// Parses a results file. Returns "" and fills *run, or returns "<where>: <what>" and leaves
// *run unspecified. Rejects files whose schema_version is newer than ours.
std::string read_json_report(std::istream& in, engine::RunResult* run);
std::string read_json_report_file(const std::filesystem::path& path, engine::RunResult* run);

}  // namespace h2conform::reports
