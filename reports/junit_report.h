// The JUnit XML report: one <testsuite> per section, one <testcase> per case.
//
// Mapping: classname = section, name = case id, time = seconds. fail -> <failure message=reason
// type=verdict> with requirement, expected, observed and a transcript summary inside; error and
// target_down -> <error>; skip -> <skipped message=reason>; non_strict passes with a
// <system-out> note. The emitted subset is described by reports/junit.xsd.
//
// With a baseline diff (baseline.h) the output marks where each case stands: a regression keeps
// its <failure>/<error> with the message "regression (baseline: pass): reason"; a case failing
// as in the baseline (or listed as a known failure) becomes <skipped type="known_failure">
// with the details in <system-out>, so consumers that fail a build on any failure agree with
// the exit code; fixed cases say so in <system-out>. Changed cases carry <properties>
// h2conform.change and h2conform.baseline_verdict; each testsuite names the baseline.
//
// Contract: pure functions of a const RunResult. Text from a peer is made safe for XML 1.0:
// markup is escaped, control characters XML forbids become "\xNN", invalid UTF-8 becomes U+FFFD.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

#include "reports/baseline.h"
#include "runner/engine/model/result.h"

namespace h2conform::reports {

// Escapes for element content (attribute = false) or a double-quoted attribute value
// (attribute = true, which also keeps tabs and line breaks as character references).
std::string xml_escape(std::string_view text, bool attribute);

// `diff`: compare_to_baseline / compare_to_known_failures of this run, or nullptr.
void render_junit(const engine::RunResult& run, std::ostream& out, const BaselineDiff* diff = nullptr);
// render_junit into `path` atomically; returns "" or an error message.
std::string write_junit_report_file(const engine::RunResult& run, const std::filesystem::path& path,
                                    const BaselineDiff* diff = nullptr);

}  // namespace h2conform::reports
