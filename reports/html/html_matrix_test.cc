#include <gtest/gtest.h>

#include <map>

#include "reports/html/html_report.h"
#include "reports/html/html_test_util.h"
#include "reports/html/html_text.h"
#include "reports/html/synthetic_run.h"
#include "reports/sample_run_test_util.h"
#include "runner/engine/model/case_order.h"

namespace h2conform::reports {
namespace {

using html::testing::between;
using html::testing::count_of;
using html::testing::render_matrix;
using html::testing::synthetic_run;

std::vector<engine::RunResult> three_runs() {
  std::vector<engine::RunResult> runs = {synthetic_run(12, 3, 0, "nghttpd 1.52.0"),
                                         synthetic_run(12, 3, 1, "h2o 2.2.5"),
                                         synthetic_run(10, 3, 2, "nginx <1.22.1>")};
  runs[2].cases.push_back(synthetic_run(1, 1).cases[0]);
  runs[2].cases.back().id = "rfc9113/9.9/only-in-nginx";  // a case only one run has
  return runs;
}

TEST(HtmlMatrix, HasAColumnPerTargetAndARowPerCaseId) {
  auto runs = three_runs();
  std::string page = render_matrix(runs);
  std::string head = between(page, "<table class=\"matrix\"", "</thead>");
  EXPECT_EQ(count_of(head, "<th class=\"target\""), 3);
  EXPECT_NE(head.find("T3<br>nginx &lt;1.22.1&gt;"), std::string::npos);
  std::string body = between(page, "<table class=\"matrix\"", "</table>");
  EXPECT_EQ(count_of(body, "<tr data-i="), 13);  // 12 shared ids plus one only in nginx
  EXPECT_EQ(count_of(body, "<td class=\"cell absent\""), 2 + 2);  // cases 10, 11 in nginx; the extra elsewhere
  EXPECT_EQ(count_of(body, "<td class=\"id\">rfc9113/<wbr>9.9/<wbr>only-in-nginx</td>"), 1);
}

TEST(HtmlMatrix, RowsComeInCatalogueOrder) {
  std::vector<engine::RunResult> runs(2);
  runs[0].cases.push_back(reports::testing::make_case("rfc9113/6.10/a", engine::Verdict::kPass, "RFC 9113 6.10", "http2"));
  runs[0].cases.push_back(reports::testing::make_case("rfc9113/6.9/b", engine::Verdict::kPass, "RFC 9113 6.9", "http2"));
  runs[1].cases.push_back(reports::testing::make_case("generic/6.9/c", engine::Verdict::kPass, "RFC 9113 6.9", "generic"));
  const std::string body = between(render_matrix(runs), "<table class=\"matrix\"", "</table>");
  const auto c = body.find("generic/<wbr>6.9/<wbr>c<"), b = body.find("rfc9113/<wbr>6.9/<wbr>b<"),
             a = body.find("rfc9113/<wbr>6.10/<wbr>a<");
  ASSERT_NE(a, std::string::npos) << body;
  EXPECT_LT(c, b);
  EXPECT_LT(b, a);
}

TEST(HtmlMatrix, EveryCellLinksToThatTargetsDetailBlock) {
  auto runs = three_runs();
  std::string page = render_matrix(runs);
  for (std::size_t k = 0; k < runs.size(); ++k) {
    std::string prefix = "t" + std::to_string(k + 1) + "-";
    for (const auto& c : runs[k].cases) {
      std::string anchor = html::case_anchor(c.id, prefix);
      EXPECT_EQ(count_of(page, "<a href=\"#" + anchor + "\""), 1) << anchor;
      EXPECT_EQ(count_of(page, "id=\"" + anchor + "\""), 1) << anchor;
    }
  }
}

TEST(HtmlMatrix, ShowsPerTargetTotalsAndFailureCounts) {
  auto runs = three_runs();
  std::string page = render_matrix(runs);
  auto counts = engine::count_verdicts(runs[0]);
  std::string totals = between(page, "<tr class=\"totals\">", "</tr>");
  EXPECT_NE(totals.find("<td>" + std::to_string(counts.pass + counts.non_strict) + " / 12</td>"), std::string::npos)
      << totals;
  auto data = html::testing::page_data(page);
  ASSERT_EQ(data["targets"].size(), 3u);
  ASSERT_EQ(data["cases"].size(), 13u);
  for (const auto& row : data["cases"]) {
    int failing = 0;
    for (const auto& v : row["verdicts"]) {
      engine::Verdict verdict;
      if (v.is_string() && engine::parse_verdict(v.get<std::string>(), &verdict) && is_failing(verdict)) ++failing;
    }
    EXPECT_EQ(row["failures"], failing) << row["id"];
  }
}

TEST(HtmlMatrix, RowsAreInCatalogueOrderAndEscaped) {
  auto runs = three_runs();
  runs[0].cases[0].reason = "<img src=x onerror=alert(1)>";
  std::string page = render_matrix(runs);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  std::map<std::string, std::string> section_of;
  for (const auto& run : runs) {
    for (const auto& c : run.cases) section_of.emplace(c.id, c.section);
  }
  auto data = html::testing::page_data(page);
  ASSERT_EQ(data["cases"].size(), section_of.size());
  for (std::size_t i = 1; i < data["cases"].size(); ++i) {
    const std::string before = data["cases"][i - 1]["id"], after = data["cases"][i]["id"];
    EXPECT_TRUE(engine::catalogue_less(section_of[before], before, section_of[after], after)) << before << " " << after;
  }
}

TEST(HtmlMatrix, RendersWithNoRuns) {
  std::string page = render_matrix({});
  EXPECT_NE(page.find("0 implementations"), std::string::npos);
  EXPECT_EQ(html::testing::page_data(page)["cases"].size(), 0u);
}

}  // namespace
}  // namespace h2conform::reports
