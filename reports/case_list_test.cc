#include "reports/case_list.h"

#include <gtest/gtest.h>

#include <sstream>

namespace h2conform::reports {
namespace {

std::vector<engine::Case> sample_cases() {
  std::vector<engine::Case> cases(3);
  cases[0].id = "generic/3.4/preface";
  cases[0].group = "generic";
  cases[0].section = "RFC 9113 3.4";
  cases[0].level = "MUST";
  cases[0].role = "server";
  cases[0].action = "Send the preface.";
  cases[1].id = "rfc9113/6.8/goaway-on-stream";
  cases[1].group = "http2";
  cases[1].section = "RFC 9113 6.8";
  cases[1].level = "SHOULD";
  cases[1].role = "server";
  cases[1].h2spec_ids = {"http2/6.8/1", "http2/6.8/2"};
  cases[1].action = "Send GOAWAY on stream 1.";
  cases[1].requirement_ids = {"9113-6.8-4", "9113-0-0"};
  cases[1].steps_source = nlohmann::json::parse(R"([{"handshake": {}}])");
  cases[2] = cases[1];
  cases[2].id = "rfc9113/6.8/other";
  cases[2].level = "MUST";
  return cases;
}

std::vector<const engine::Case*> pointers(const std::vector<engine::Case>& cases) {
  std::vector<const engine::Case*> out;
  for (const auto& c : cases) out.push_back(&c);
  return out;
}

TEST(CaseList, RendersTheDryrunTree) {
  const auto cases = sample_cases();
  std::ostringstream out;
  render_case_tree(pointers(cases), out);
  EXPECT_EQ(out.str(),
            "RFC 9113: HTTP/2\n"
            "  RFC 9113 3.4\n"
            "    generic/3.4/preface: Send the preface.\n"
            "  RFC 9113 6.8\n"
            "    rfc9113/6.8/goaway-on-stream [http2/6.8/1, http2/6.8/2] (SHOULD): Send GOAWAY on stream 1.\n"
            "    rfc9113/6.8/other [http2/6.8/1, http2/6.8/2]: Send GOAWAY on stream 1.\n"
            "\n"
            "3 cases selected\n");
}

TEST(CaseList, SaysWhenNothingIsSelected) {
  std::ostringstream out;
  render_case_tree({}, out);
  EXPECT_EQ(out.str(), "0 cases selected\n");
}

TEST(CaseList, RendersOneLinePerCase) {
  const auto cases = sample_cases();
  std::ostringstream out;
  render_case_lines(pointers(cases), out);
  EXPECT_EQ(out.str(),
            "generic/3.4/preface\tMUST\tserver\t-\n"
            "rfc9113/6.8/goaway-on-stream\tSHOULD\tserver\thttp2/6.8/1,http2/6.8/2\n"
            "rfc9113/6.8/other\tMUST\tserver\thttp2/6.8/1,http2/6.8/2\n");
}

TEST(CaseList, ShowsRequirementSentencesAndSteps) {
  const auto cases = sample_cases();
  engine::RequirementTable reqs;
  reqs["9113-6.8-4"] = {"9113-6.8-4", "6.8", "MUST", "An endpoint MUST treat it as an error."};
  std::ostringstream out;
  render_case_details(cases[1], reqs, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("id: rfc9113/6.8/goaway-on-stream\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  9113-6.8-4 (MUST, section 6.8): An endpoint MUST treat it as an error.\n"), std::string::npos);
  EXPECT_NE(text.find("  9113-0-0\n"), std::string::npos);
  EXPECT_NE(text.find("\"handshake\""), std::string::npos);
}

}  // namespace
}  // namespace h2conform::reports
