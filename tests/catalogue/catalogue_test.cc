// The catalogue as a whole: loads, cites known requirements and h2spec ids.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include <algorithm>

#include "runner/engine/engine.h"
#include "runner/engine/case/script.h"
#include "runner/engine/script/tls_case.h"

namespace h2conform::engine {
namespace {

std::filesystem::path env_dir(const char* name, const char* configured) {
  const char* value = std::getenv(name);
  return std::filesystem::path(value != nullptr && *value != '\0' ? value : configured);
}

// The first column of one tests/compat/h2spec-*-cases.tsv file.
std::set<std::string> h2spec_ids_in(const std::filesystem::path& file) {
  std::set<std::string> ids;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) ids.insert(line.substr(0, line.find('\t')));
  }
  return ids;
}

// h2spec ids: the first column of tests/compat/h2spec-{server,client}-cases.tsv.
std::set<std::string> h2spec_ids(const std::filesystem::path& compat) {
  std::set<std::string> ids = h2spec_ids_in(compat / "h2spec-server-cases.tsv");
  ids.merge(h2spec_ids_in(compat / "h2spec-client-cases.tsv"));
  return ids;
}

class Catalogue : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = env_dir("H2CONFORM_SOURCE_DIR", H2CONFORM_CONFIGURED_SOURCE_DIR);
    ASSERT_FALSE(source_.empty()) << "H2CONFORM_SOURCE_DIR is not set";
    requirements_ = load_requirements(source_ / "specs");
  }
  std::filesystem::path source_;
  RequirementTable requirements_;
};

TEST_F(Catalogue, EveryCaseFileLoads) {
  try {
    engine::Catalogue cat = load_catalogue(source_ / "cases", requirements_);
    for (const auto& c : cat.cases) {
      EXPECT_FALSE(c.group.empty()) << c.id;
      // Only a TLS-level case whose "tls" field decides it alone has no steps.
      EXPECT_TRUE(!c.script->steps.empty() || (c.script->tls && engine::tls_field_decides_alone(*c.script->tls))) << c.id;
    }
  } catch (const LoadError& e) {
    FAIL() << e.what();
  }
}

TEST_F(Catalogue, EveryFileLoadsOnItsOwn) {
  // Reports every broken file, not only the first one.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source_ / "cases")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string name = std::filesystem::relative(entry.path(), source_ / "cases").generic_string();
    try {
      load_case_text(text, name, requirements_);
    } catch (const LoadError& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

TEST_F(Catalogue, CitedRequirementsAndH2specIdsExist) {
  engine::Catalogue cat;
  try {
    cat = load_catalogue(source_ / "cases", requirements_);
  } catch (const LoadError& e) {
    GTEST_SKIP() << "the catalogue does not load (see EveryCaseFileLoads): " << e.what();
  }
  std::set<std::string> known = h2spec_ids(source_ / "tests" / "compat");
  ASSERT_GT(known.size(), 200u);
  for (const auto& c : cat.cases) {
    for (const auto& rid : c.requirement_ids) EXPECT_TRUE(requirements_.count(rid)) << c.id << ": " << rid;
    for (const auto& hid : c.h2spec_ids) EXPECT_TRUE(known.count(hid)) << c.id << ": unknown h2spec id " << hid;
  }
}

// h2spec's client tester (h2specd) has 57 cases; each must be selectable here through a case
// for client targets that records its id, and a client id may name no server case.
TEST_F(Catalogue, EveryH2specClientIdIsMappedByAClientCase) {
  engine::Catalogue cat;
  try {
    cat = load_catalogue(source_ / "cases", requirements_);
  } catch (const LoadError& e) {
    GTEST_SKIP() << "the catalogue does not load (see EveryCaseFileLoads): " << e.what();
  }
  std::set<std::string> wanted = h2spec_ids_in(source_ / "tests" / "compat" / "h2spec-client-cases.tsv");
  ASSERT_EQ(wanted.size(), 57u);
  std::set<std::string> mapped;
  for (const auto& c : cat.cases) {
    for (const auto& hid : c.h2spec_ids) {
      if (!wanted.count(hid)) continue;
      EXPECT_EQ(c.role, kTargetClient) << c.id << " (role " << c.role << ") records the client id " << hid;
      mapped.insert(hid);
    }
  }
  for (const auto& hid : wanted) EXPECT_TRUE(mapped.count(hid)) << "no client case records h2spec id " << hid;
}

// A client that exits 0 is judged only where RFC 9113 §8.1.1 says "Clients MUST NOT accept a
// malformed response." (9113-8.1.1-3): a case whose client_exit is "failure" must be about a
// malformed response and cite that row, so that no exit after a mere connection error (which
// may follow a complete response) is ever failed without a sentence.
TEST_F(Catalogue, ClientExitFailureOnlyForMalformedResponses) {
  engine::Catalogue cat;
  try {
    cat = load_catalogue(source_ / "cases", requirements_);
  } catch (const LoadError& e) {
    GTEST_SKIP() << "the catalogue does not load (see EveryCaseFileLoads): " << e.what();
  }
  int judged = 0;
  for (const auto& c : cat.cases) {
    if (!c.script || c.script->client_exit != ClientExitRule::kFailure) continue;
    ++judged;
    const auto& ids = c.requirement_ids;
    EXPECT_NE(std::find(ids.begin(), ids.end(), "9113-8.1.1-3"), ids.end())
        << c.id << " fails a client that exits 0 but does not cite 9113-8.1.1-3";
  }
  EXPECT_GT(judged, 0);
}

}  // namespace
}  // namespace h2conform::engine
