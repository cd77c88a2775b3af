#include "reports/coverage_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace h2conform::reports {
namespace {

engine::RequirementTable synthetic_requirements() {
  engine::RequirementTable t;
  auto add = [&](const std::string& id, const std::string& section, const std::string& keyword) {
    t[id] = engine::Requirement{id, section, keyword, "sentence of " + id};
  };
  add("9113-6.9-1", "6.9", "MUST");
  add("9113-6.10-1", "6.10", "MUST NOT");
  add("9113-6.9-2", "6.9", "MUST, MUST NOT");
  add("9113-6.9-3", "6.9", "SHOULD");        // not a MUST row: left out
  add("9113-8.3-1", "8.3", "MUST");          // client-only
  add("9113-A-1", "A", "MUST");              // unobservable
  add("9113-10.3-1", "10.3", "MUST");        // intermediary-only
  add("7541-4.2-1", "4.2", "MUST");
  add("9218-4-1", "4", "MUST");              // another RFC: left out
  return t;
}

engine::Case make_case(const std::string& id, const std::string& role, std::vector<std::string> reqs) {
  engine::Case c;
  c.id = id;
  c.role = role;
  c.requirement_ids = std::move(reqs);
  return c;
}

struct Fixture {
  std::vector<engine::Case> cases{
      make_case("rfc9113/6.9/a", "server", {"9113-6.9-1", "9113-6.9-3"}),
      make_case("rfc9113/6.9/b", "server", {"9113-6.9-1"}),
      make_case("rfc9113/8.3/client", "client", {"9113-8.3-1", "9113-6.9-2"}),
      make_case("rfc7541/4.2/a", "server", {"7541-4.2-1"}),
  };
  CoverageReasons reasons;
  Fixture() {
    const std::string tsv =
        "id\tstatus\treason\n"
        "9113-8.3-1\tclient-only\tbinds clients\n"
        "# comment\n\n"
        "9113-A-1\tunobservable\tnothing on the wire shows it\n"
        "9113-10.3-1\tintermediary-only\tbinds proxies\n"
        "9113-99-1\tunobservable\tstale row\n";
    EXPECT_EQ(parse_coverage_reasons(tsv, "x.tsv", &reasons), "");
  }
  Coverage compute() const {
    std::vector<const engine::Case*> ptrs;
    for (const auto& c : cases) ptrs.push_back(&c);
    return compute_coverage(ptrs, synthetic_requirements(), reasons);
  }
};

const CoverageRow* find_row(const Coverage& c, const std::string& id) {
  for (const auto& row : c.rows)
    if (row.id == id) return &row;
  return nullptr;
}

TEST(Coverage, CountsOnlyMustRowsOfRfc9113AndRfc7541) {
  const auto coverage = Fixture().compute();
  std::vector<std::string> ids;
  for (const auto& row : coverage.rows) ids.push_back(row.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"9113-6.9-1", "9113-6.9-2", "9113-6.10-1", "9113-8.3-1",
                                           "9113-10.3-1", "9113-A-1", "7541-4.2-1"}));
}

TEST(Coverage, GivesEachRowItsCasesOrReason) {
  const auto coverage = Fixture().compute();
  EXPECT_EQ(find_row(coverage, "9113-6.9-1")->status, RowStatus::kCovered);
  EXPECT_EQ(find_row(coverage, "9113-6.9-1")->cases, (std::vector<std::string>{"rfc9113/6.9/a", "rfc9113/6.9/b"}));
  EXPECT_EQ(find_row(coverage, "9113-6.9-2")->status, RowStatus::kUncovered);  // only a client case cites it
  EXPECT_EQ(find_row(coverage, "9113-8.3-1")->status, RowStatus::kClientOnly);
  EXPECT_EQ(find_row(coverage, "9113-A-1")->status, RowStatus::kUnobservable);
  EXPECT_EQ(find_row(coverage, "9113-A-1")->reason, "nothing on the wire shows it");
  EXPECT_EQ(find_row(coverage, "9113-10.3-1")->status, RowStatus::kIntermediaryOnly);
}

TEST(Coverage, ComputesPercentOverRowsBindingAServer) {
  const auto coverage = Fixture().compute();
  ASSERT_EQ(coverage.specs.size(), 2u);
  const auto& rfc9113 = coverage.specs[0];
  EXPECT_EQ(rfc9113.spec, "RFC 9113");
  EXPECT_EQ(rfc9113.binding, 4);
  EXPECT_EQ(rfc9113.covered, 1);
  EXPECT_EQ(rfc9113.reasoned, 1);
  EXPECT_EQ(rfc9113.uncovered, 2);
  EXPECT_EQ(rfc9113.client_only, 1);
  EXPECT_EQ(rfc9113.intermediary_only, 1);
  EXPECT_DOUBLE_EQ(rfc9113.percent(), 25.0);
  EXPECT_DOUBLE_EQ(coverage.specs[1].percent(), 100.0);
}

TEST(Coverage, ReportsReasonsForUnknownRows) {
  const auto coverage = Fixture().compute();
  ASSERT_EQ(coverage.problems.size(), 1u);
  EXPECT_EQ(coverage.problems[0], "x.tsv:7: unknown requirement id 9113-99-1");
}

TEST(Coverage, RendersTextWithTotalsAndMissingRows) {
  std::ostringstream out;
  render_coverage_text(Fixture().compute(), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("RFC 9113: 1 of 4 rows covered by cases (25.0%), 1 with a recorded reason, 2 with "
                      "neither; 1 client-only rows left out, 1 intermediary-only rows left out"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  9113-6.10-1   sentence of 9113-6.10-1"), std::string::npos) << text;
  EXPECT_EQ(text.find("9113-A-1 "), std::string::npos);
}

TEST(Coverage, RendersMarkdownTables) {
  std::ostringstream out;
  render_coverage_markdown(Fixture().compute(), out);
  const std::string md = out.str();
  EXPECT_NE(md.find("| RFC 9113 | 4 | 1 (25.0%) | 1 | 2 | 1 | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 9113-10.3-1 | 10.3 | MUST | intermediary-only | binds proxies |"), std::string::npos);
  EXPECT_NE(md.find("| 9113-6.9-1 | 6.9 | MUST | covered | `rfc9113/6.9/a`, `rfc9113/6.9/b` |"), std::string::npos);
  EXPECT_NE(md.find("| 9113-A-1 | A | MUST | unobservable | nothing on the wire shows it |"), std::string::npos);
  EXPECT_NE(md.find("## RFC 7541"), std::string::npos);
}

struct ReasonRow {
  const char* name;
  const char* text;
  const char* error;
  friend void PrintTo(const ReasonRow& row, std::ostream* os) { *os << row.name; }
};
class CoverageReasonsBad : public ::testing::TestWithParam<ReasonRow> {};
TEST_P(CoverageReasonsBad, NamesFileLineAndProblem) {
  CoverageReasons reasons;
  EXPECT_EQ(parse_coverage_reasons(GetParam().text, "r.tsv", &reasons), GetParam().error);
}
INSTANTIATE_TEST_SUITE_P(
    Rows, CoverageReasonsBad,
    ::testing::Values(
        ReasonRow{"empty", "", "r.tsv:1: empty file (the header is missing)"},
        ReasonRow{"bad_header", "id\tstate\treason\n", "r.tsv:1: the header must be \"id<TAB>status<TAB>reason\""},
        ReasonRow{"two_fields", "id\tstatus\treason\n9113-1-1\tunobservable\n",
                  "r.tsv:2: expected 3 tab-separated fields, got 2"},
        ReasonRow{"bad_status", "id\tstatus\treason\n9113-1-1\tlater\twhy\n",
                  "r.tsv:2: unknown status \"later\" (client-only, intermediary-only, unobservable, "
                  "covered-by-other-rows)"},
        ReasonRow{"empty_reason", "id\tstatus\treason\n9113-1-1\tunobservable\t\n", "r.tsv:2: the reason is empty"},
        ReasonRow{"duplicate", "id\tstatus\treason\r\n9113-1-1\tunobservable\ta\r\n9113-1-1\tclient-only\tb\r\n",
                  "r.tsv:3: 9113-1-1 already has a reason at r.tsv:2"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::reports
