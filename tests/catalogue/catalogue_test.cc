// The catalogue as a whole: loads, cites known requirements and h2spec ids.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "runner/engine/engine.h"
#include "runner/engine/script/tls_case.h"

namespace h2conform::engine {
namespace {

std::filesystem::path env_dir(const char* name, const char* configured) {
  const char* value = std::getenv(name);
  return std::filesystem::path(value != nullptr && *value != '\0' ? value : configured);
}

// h2spec ids: the first column of tests/compat/h2spec-{server,client}-cases.tsv.
std::set<std::string> h2spec_ids(const std::filesystem::path& compat) {
  std::set<std::string> ids;
  for (const char* file : {"h2spec-server-cases.tsv", "h2spec-client-cases.tsv"}) {
    std::ifstream in(compat / file);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) ids.insert(line.substr(0, line.find('\t')));
    }
  }
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

}  // namespace
}  // namespace h2conform::engine
