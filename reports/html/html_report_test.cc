#include "reports/html/html_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "reports/html/html_test_util.h"
#include "reports/html/html_text.h"
#include "reports/html/synthetic_run.h"
#include "reports/sample_run_test_util.h"

namespace h2conform::reports {
namespace {

using engine::Verdict;
using html::testing::between;
using html::testing::count_of;
using html::testing::render_report;

constexpr const char* kHostile = "<script>alert(1)</script></script><!-- \"' onload=x \x01\x1b[2J \xff";

engine::RunResult hostile_run() {
  engine::RunResult run = reports::testing::sample_run();
  run.target = kHostile;
  run.tool_version = kHostile;
  run.settings.selectors = {kHostile};
  auto& c = run.cases[1];
  c.id = std::string("rfc9113/6.8/") + kHostile;
  c.section = kHostile;
  c.level = kHostile;
  c.requirement = c.action = c.reason = c.expected = c.observed = c.closed_by = kHostile;
  c.requirement_ids = c.h2spec_ids = {kHostile};
  for (auto& e : c.transcript) e.summary = e.event = e.frame_type = e.flags = e.raw_hex = kHostile;
  engine::ClientProcess client;
  client.started = true;
  client.command = client.stderr_tail = client.error = kHostile;
  client.exited = true;
  c.client = client;
  return run;
}

TEST(HtmlReport, ListsEveryCaseOnceInTheTableWithADetailBlock) {
  auto run = html::testing::synthetic_run(40, 5);
  std::string page = render_report(run);
  std::string table = between(page, "<table class=\"case-table\"", "</table>");
  ASSERT_FALSE(table.empty());
  for (const auto& c : run.cases) {
    std::string anchor = html::case_anchor(c.id);
    EXPECT_EQ(count_of(table, "<a href=\"#" + anchor + "\">"), 1) << c.id;
    EXPECT_EQ(count_of(page, "id=\"" + anchor + "\""), 1) << c.id;
    EXPECT_EQ(count_of(page, "<details class=\"case v-" + engine::to_string(c.verdict) + "\" id=\"" + anchor + "\">"), 1)
        << c.id;
  }
  EXPECT_EQ(count_of(table, "<tr data-i="), 40);
}

TEST(HtmlReport, CaseTableHasAReasonColumnAndAFailuresFirstOrder) {
  const std::string page = render_report(reports::testing::sample_run());
  const std::string table = between(page, "<table class=\"case-table\"", "</table>");
  EXPECT_NE(table.find("<th>Verdict</th><th>Reason</th>"), std::string::npos) << table;
  EXPECT_NE(table.find("<td class=\"reason\">reason of rfc9113/6.8/goaway-on-stream</td>"), std::string::npos);
  EXPECT_EQ(table.find("reason of generic/3.5/preface"), std::string::npos) << "a pass needs no reason";
  EXPECT_NE(table.find("rfc9113/<wbr>6.8/<wbr>goaway-on-stream</a>"), std::string::npos) << table;
  EXPECT_NE(page.find("<select id=\"f-order\"><option value=\"catalogue\">catalogue order</option>"
                      "<option value=\"failures\">failures first</option></select>"),
            std::string::npos);
}

TEST(HtmlReport, CutsLongReasonsInTheTableOnly) {
  auto run = reports::testing::sample_run();
  run.cases[1].reason = std::string(200, 'x') + "\xc3\xa9";
  const std::string page = render_report(run);
  const std::string table = between(page, "<table class=\"case-table\"", "</table>");
  EXPECT_NE(table.find("<td class=\"reason\">" + std::string(160, 'x') + "\u2026</td>"), std::string::npos);
  EXPECT_NE(page.find(std::string(200, 'x') + "\xc3\xa9"), std::string::npos) << "the details keep all of it";
}

TEST(HtmlReport, SummaryListsSectionsInNumericOrder) {
  engine::RunResult run;
  for (const char* section : {"RFC 9113 6.10", "RFC 7541 4.2", "RFC 9113 6.9", "RFC 9113 5.1.1", "RFC 9113 5.1"}) {
    run.cases.push_back(reports::testing::make_case(std::string("x/") + section, Verdict::kPass, section, "http2"));
  }
  const std::string summary = between(render_report(run), "<section id=\"summary\">", "</section>");
  std::vector<std::size_t> at;
  for (const char* section : {">RFC 9113 5.1<", ">RFC 9113 5.1.1<", ">RFC 9113 6.9<", ">RFC 9113 6.10<", ">RFC 7541 4.2<"}) {
    at.push_back(summary.find(section));
    ASSERT_NE(at.back(), std::string::npos) << section << summary;
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << summary;
}

TEST(HtmlReport, InlineDataListsEveryCaseWithItsAnchor) {
  auto run = reports::testing::sample_run();
  auto data = html::testing::page_data(render_report(run));
  ASSERT_EQ(data["cases"].size(), run.cases.size());
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    EXPECT_EQ(data["cases"][i]["id"], run.cases[i].id);
    EXPECT_EQ(data["cases"][i]["anchor"], html::case_anchor(run.cases[i].id));
    EXPECT_EQ(data["cases"][i]["verdict"], engine::to_string(run.cases[i].verdict));
  }
}

TEST(HtmlReport, ShowsTotalsRunFactsAndRfcLinks) {
  std::string page = render_report(reports::testing::sample_run());
  EXPECT_NE(page.find("<b>6</b><span>cases</span>"), std::string::npos);
  EXPECT_NE(page.find("<div class=\"tile v-fail\"><b>1</b><span>fail</span>"), std::string::npos);
  EXPECT_NE(page.find("2024-05-01T10:00:00Z"), std::string::npos);
  EXPECT_NE(page.find("h2conform 0.1.0"), std::string::npos);
  EXPECT_NE(page.find("<a class=\"rfc\" href=\"https://www.rfc-editor.org/rfc/rfc9113.html#section-6.8\""),
            std::string::npos);
  EXPECT_NE(page.find("<a class=\"rfc\" href=\"https://www.rfc-editor.org/rfc/rfc7541.html#section-4.2\""),
            std::string::npos);
  EXPECT_NE(page.find("<table class=\"counts\">\n<thead><tr><th>Section</th>"), std::string::npos);
  EXPECT_NE(page.find("<table class=\"counts\">\n<thead><tr><th>Level</th>"), std::string::npos);
  EXPECT_EQ(page.find("{{"), std::string::npos) << "a template slot was left unfilled";
}

TEST(HtmlReport, ShowsTheTranscriptWithRawBytesOnDemand) {
  auto run = reports::testing::sample_run();
  run.cases[1].transcript[1].summary = "GOAWAY stream=1 len=8 last_stream_id=0 error_code=NO_ERROR";
  std::string page = render_report(run);
  EXPECT_NE(page.find("<tr class=\"tx\"><td>1.250<td>\u2192<td>GOAWAY<td>1<td><td>8"
                      "<td>last_stream_id=0 error_code=NO_ERROR<code class=\"raw\">000008070000000001 "
                      "0000000000000000</code></td></tr>"),
            std::string::npos);
  EXPECT_NE(page.find("<tr class=\"rx\"><td>3.000<td>\u2190<td>GOAWAY<td>"), std::string::npos);
  EXPECT_NE(page.find("<code class=\"raw\">00 \u2026 (first 1 bytes)</code>"), std::string::npos);
  EXPECT_NE(page.find("<td colspan=\"5\">connected tcp 127.0.0.1:8443</td>"), std::string::npos);
  EXPECT_NE(page.find("<input type=\"checkbox\" class=\"rawtoggle\""), std::string::npos);
}

TEST(HtmlReport, ShowsAtMost256BytesOfAFrame) {
  auto run = reports::testing::sample_run();
  run.cases[1].transcript[1].raw_hex = std::string(2048, 'a');
  std::string page = render_report(run);
  EXPECT_NE(page.find(std::string(512 - 18, 'a') + " \u2026 (first 256 bytes)</code>"), std::string::npos);
  EXPECT_EQ(page.find(std::string(513, 'a')), std::string::npos);
}

// The page without its inline JSON data, where quotes need no escaping.
std::string markup_of(const std::string& page) {
  std::string data = between(page, "<script type=\"application/json\"", "</script>");
  std::string out = page;
  out.erase(out.find(data), data.size());
  return out;
}

TEST(HtmlReport, EscapesHostileTextEverywhere) {
  std::string page = render_report(hostile_run());
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_EQ(markup_of(page).find("\" onload"), std::string::npos);
  EXPECT_EQ(markup_of(page).find("' onload"), std::string::npos);
  EXPECT_EQ(count_of(page, "<script"), 2) << "only the data block and the page script";
  EXPECT_EQ(count_of(page, "</script>"), 2);
  EXPECT_EQ(count_of(page, "<!--"), 0);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("\\x01\\x1B[2J"), std::string::npos);
  for (unsigned char ch : page) {
    ASSERT_TRUE(ch >= 0x20 || ch == '\n' || ch == '\t') << "raw control byte " << static_cast<int>(ch);
  }
  EXPECT_EQ(html::sanitize_utf8(page), page) << "the page is not valid UTF-8";
  auto data = html::testing::page_data(page);
  EXPECT_EQ(data["cases"][1]["id"], html::sanitize_utf8(std::string("rfc9113/6.8/") + kHostile));
}

TEST(HtmlReport, ShowsHowTheClientEnded) {
  engine::RunResult run = reports::testing::sample_run();
  engine::ClientProcess client;
  client.command = "curl -sS 'http://127.0.0.1:40000/'";
  client.started = true;
  client.exited = true;
  client.exit_status = 0;
  client.stderr_tail = "curl: (16) Error in the HTTP2 framing layer\n";
  run.cases[1].client = client;
  const std::string page = render_report(run);
  EXPECT_NE(page.find("<code>curl -sS &#39;http://127.0.0.1:40000/&#39;</code>"), std::string::npos)
      << between(page, "Closed by", "</dl>");
  EXPECT_NE(page.find("the client exited with status 0"), std::string::npos);
  EXPECT_NE(page.find("<pre class=\"client-stderr\">curl: (16) Error in the HTTP2 framing layer"), std::string::npos);
  EXPECT_EQ(count_of(page, "Client exit"), 1) << "only the case that ran a client";
}

TEST(HtmlReport, LoadsNothingFromTheNetwork) {
  for (const auto& run : {reports::testing::sample_run(), hostile_run()}) {
    std::string page = render_report(run);
    for (const auto& url : html::testing::referenced_urls(page)) {
      bool external = url.rfind("http:", 0) == 0 || url.rfind("https:", 0) == 0 || url.rfind("//", 0) == 0;
      if (external) {
        EXPECT_EQ(url.rfind("https://www.rfc-editor.org/rfc/rfc", 0), 0u) << url;
      }
    }
    EXPECT_EQ(count_of(page, " src="), 0);
    EXPECT_EQ(count_of(page, "<link"), 0);
    EXPECT_EQ(count_of(page, "@import"), 0);
    EXPECT_EQ(count_of(page, "fetch("), 0);
    EXPECT_EQ(count_of(page, "XMLHttpRequest"), 0);
  }
}

TEST(HtmlReport, MarksRegressionsAndFixesAgainstABaseline) {
  auto baseline = reports::testing::sample_run();
  auto current = baseline;
  current.cases[0].verdict = Verdict::kFail;  // pass -> fail
  current.cases[1].verdict = Verdict::kPass;  // fail -> pass
  BaselineDiff diff = compare_to_baseline(baseline, current);
  std::string page = render_report(current, &diff);
  EXPECT_NE(page.find("<div class=\"tile c-regression\"><b>1</b>"), std::string::npos);
  EXPECT_NE(page.find("<div class=\"tile c-fixed\"><b>1</b>"), std::string::npos);
  std::string table = between(page, "<table class=\"case-table\"", "</table>");
  EXPECT_EQ(count_of(table, "badge c-regression"), 1);
  EXPECT_EQ(count_of(table, "badge c-fixed"), 1);
  EXPECT_NE(table.find("<th>Change</th>"), std::string::npos);
  EXPECT_EQ(render_report(current).find("badge c-"), std::string::npos);
}

TEST(HtmlReport, ThreeHundredCasesWithTwentyFramesStayBelowTwoMegabytes) {
  auto run = html::testing::synthetic_run(300, 20);
  auto start = std::chrono::steady_clock::now();
  std::string page = render_report(run);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ size ] 300 cases x 20 frames: %zu bytes (%.2f MiB), rendered in %.1f ms\n", page.size(),
              static_cast<double>(page.size()) / (1024.0 * 1024.0), ms);
  EXPECT_LT(page.size(), 2u * 1024u * 1024u);
  EXPECT_EQ(count_of(page, "<code class=\"raw\">"), 300 * 19);
}

TEST(HtmlReport, RendersAnEmptyRun) {
  engine::RunResult run;
  std::string page = render_report(run);
  EXPECT_NE(page.find("No case ran."), std::string::npos);
  EXPECT_EQ(html::testing::page_data(page)["cases"].size(), 0u);
}

}  // namespace
}  // namespace h2conform::reports
