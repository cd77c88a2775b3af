// Selection tests: groups, RFC sections, id prefixes, h2spec ids, excludes, strict, role.
#include <gtest/gtest.h>

#include "runner/engine/engine.h"

namespace h2conform::engine {
namespace {

Case make(std::string id, std::string spec, std::string section, std::string group,
          std::vector<std::string> h2spec = {}, std::string level = "MUST", std::vector<std::string> tags = {}) {
  Case c;
  c.id = std::move(id);
  c.spec = std::move(spec);
  c.section_number = std::move(section);
  c.group = std::move(group);
  c.h2spec_ids = std::move(h2spec);
  c.level = std::move(level);
  c.tags = std::move(tags);
  c.role = "server";
  return c;
}

Catalogue catalogue() {
  Catalogue cat;
  cat.cases = {
      make("generic/3.2/headers", "RFC 9113", "6.2", "generic", {"generic/3.2/1"}),
      make("rfc7541/4.2/size-update", "RFC 7541", "4.2", "hpack", {"hpack/4.2/1"}),
      make("rfc9113/6.5.2/enable-push", "RFC 9113", "6.5.2", "http2", {"http2/6.5.2/1"}),
      make("rfc9113/6.5/ack-with-payload", "RFC 9113", "6.5", "http2", {"http2/6.5/1"}),
      make("rfc9113/6.50/imaginary", "RFC 9113", "6.50", "http2"),
      make("rfc9113/8.2/uppercase", "RFC 9113", "8.2", "http2", {"http2/8.1.2/1"}),
      make("rfc9113/8.3/te-header", "RFC 9113", "8.3", "http2", {"http2/8.1.2.2/1"}),
      make("rfc9113/5.3/priority-tagged", "RFC 9113", "5.3", "http2", {}, "MUST", {"priority"}),
      make("rfc9218/7.1/update-on-stream", "RFC 9218", "7.1", "priority"),
      make("rfc9113/6.9/should-case", "RFC 9113", "6.9", "http2", {}, "SHOULD"),
  };
  cat.cases[5].aliases = {"rfc9113/8.1/old-uppercase"};  // rfc9113/8.2/uppercase, once elsewhere
  return cat;
}

struct SelectRow {
  const char* name;
  std::vector<std::string> selectors;
  std::vector<std::string> excludes;
  bool strict;
  std::vector<std::string> expected;
};

class Select : public ::testing::TestWithParam<SelectRow> {};

TEST_P(Select, PicksTheRightCases) {
  const SelectRow& row = GetParam();
  Catalogue cat = catalogue();
  Selection sel;
  sel.role = kTargetServer;
  sel.selectors = row.selectors;
  sel.excludes = row.excludes;
  sel.strict = row.strict;
  std::vector<std::string> ids;
  for (const Case* c : select_cases(cat, sel)) ids.push_back(c->id);
  EXPECT_EQ(ids, row.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, Select,
    ::testing::Values(
        SelectRow{"groupHpack", {"hpack"}, {}, false, {"rfc7541/4.2/size-update"}},
        SelectRow{"groupPriorityIncludesTag", {"priority"}, {}, false,
                  {"rfc9113/5.3/priority-tagged", "rfc9218/7.1/update-on-stream"}},
        SelectRow{"rfcSectionWithSubsections", {"http2/6.5"}, {}, false,
                  {"rfc9113/6.5.2/enable-push", "rfc9113/6.5/ack-with-payload"}},
        SelectRow{"hpackSection", {"hpack/4.2"}, {}, false, {"rfc7541/4.2/size-update"}},
        SelectRow{"idPrefixAtSlash", {"rfc9113/6.5"}, {}, false, {"rfc9113/6.5/ack-with-payload"}},
        SelectRow{"exactId", {"rfc9113/8.2/uppercase"}, {}, false, {"rfc9113/8.2/uppercase"}},
        SelectRow{"aliasSelectsTheCase", {"rfc9113/8.1/old-uppercase"}, {}, false, {"rfc9113/8.2/uppercase"}},
        SelectRow{"aliasPrefix", {"rfc9113/8.1"}, {}, false, {"rfc9113/8.2/uppercase"}},
        SelectRow{"aliasExcludes", {"http2/8"}, {"rfc9113/8.1/old-uppercase"}, false, {"rfc9113/8.3/te-header"}},
        SelectRow{"h2specId", {"http2/6.5.2/1"}, {}, false, {"rfc9113/6.5.2/enable-push"}},
        SelectRow{"h2specSectionPrefix", {"http2/8.1.2"}, {}, false,
                  {"rfc9113/8.2/uppercase", "rfc9113/8.3/te-header"}},
        SelectRow{"h2specGeneric", {"generic/3"}, {}, false, {"generic/3.2/headers"}},
        SelectRow{"union", {"hpack", "generic"}, {}, false, {"generic/3.2/headers", "rfc7541/4.2/size-update"}},
        SelectRow{"exclude", {"http2/6.5"}, {"http2/6.5.2"}, false, {"rfc9113/6.5/ack-with-payload"}},
        SelectRow{"shouldOnlyWithStrict", {"http2/6.9"}, {}, false, {}},
        SelectRow{"strict", {"http2/6.9"}, {}, true, {"rfc9113/6.9/should-case"}}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Select, EmptySelectorsTakeAllOfTheRole) {
  Catalogue cat = catalogue();
  Selection sel;
  sel.role = kTargetServer;
  EXPECT_EQ(select_cases(cat, sel).size(), 9u);
  sel.role = kTargetClient;
  EXPECT_TRUE(select_cases(cat, sel).empty());
}

}  // namespace
}  // namespace h2conform::engine

namespace h2conform::engine {
namespace {

struct KnownRow {
  const char* name;
  const char* selector;
  bool known;
  friend void PrintTo(const KnownRow& row, std::ostream* os) { *os << row.name; }
};
class KnownSelector : public ::testing::TestWithParam<KnownRow> {};

TEST_P(KnownSelector, MatchesSomeCaseOfAnyLevel) {
  EXPECT_EQ(is_known_selector(catalogue(), GetParam().selector), GetParam().known);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, KnownSelector,
    ::testing::Values(KnownRow{"group", "hpack", true}, KnownRow{"section", "http2/6.5", true},
                      KnownRow{"shouldOnlySection", "http2/6.9", true}, KnownRow{"h2specId", "http2/6.5.2/1", true},
                      KnownRow{"idPrefix", "rfc9113/6.5", true}, KnownRow{"typoGroup", "htpp2", false},
                      KnownRow{"missingSection", "http2/9.9", false}, KnownRow{"empty", "", false},
                      KnownRow{"unknownH2specId", "http2/6.5.2/7", false},
                      KnownRow{"alias", "rfc9113/8.1/old-uppercase", true}),
    [](const auto& row) { return std::string(row.param.name); });

struct ClosestRow {
  const char* name;
  const char* selector;
  const char* expected;
  friend void PrintTo(const ClosestRow& row, std::ostream* os) { *os << row.name; }
};
class ClosestSelector : public ::testing::TestWithParam<ClosestRow> {};

TEST_P(ClosestSelector, SuggestsTheNearestKnownName) {
  EXPECT_EQ(closest_selector(catalogue(), GetParam().selector), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ClosestSelector,
    ::testing::Values(ClosestRow{"misspelt", "htpp2", "http2"}, ClosestRow{"missingLetter", "hpck", "hpack"},
                      ClosestRow{"upperCase", "HPACK", "hpack"}, ClosestRow{"genricGroup", "genric", "generic"},
                      ClosestRow{"h2specSection", "http2/8.1.3", "http2/8.1.2"},
                      ClosestRow{"caseId", "rfc9113/8.2/upercase", "rfc9113/8.2/uppercase"},
                      ClosestRow{"h2specId", "hpack/4.2/2", "hpack/4.2/1"},
                      ClosestRow{"nothingClose", "zzzzzzzzzzzz", ""}),
    [](const auto& row) { return std::string(row.param.name); });

struct DistanceRow {
  const char* name;
  const char* a;
  const char* b;
  std::size_t expected;
  friend void PrintTo(const DistanceRow& row, std::ostream* os) { *os << row.name; }
};
class EditDistance : public ::testing::TestWithParam<DistanceRow> {};

TEST_P(EditDistance, CountsEditsWithSwapsAsOne) {
  EXPECT_EQ(edit_distance(GetParam().a, GetParam().b), GetParam().expected);
  EXPECT_EQ(edit_distance(GetParam().b, GetParam().a), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Rows, EditDistance,
                         ::testing::Values(DistanceRow{"same", "http2", "http2", 0},
                                           DistanceRow{"empty", "", "abc", 3},
                                           DistanceRow{"swap", "htt2p", "http2", 1},
                                           DistanceRow{"substitution", "htpp2", "http2", 1},
                                           DistanceRow{"insertion", "http22", "http2", 1},
                                           DistanceRow{"mixed", "kitten", "sitting", 3}),
                         [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::engine
