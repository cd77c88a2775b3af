// Loader tests: every bad input names the file and the JSON pointer of the offending value.
#include <gtest/gtest.h>

#include "runner/engine/engine.h"
#include "runner/engine/script.h"
#include "tests/support/test_data.h"

namespace h2conform::engine {
namespace {

using nlohmann::json;

const char* kBase = R"({
  // comments are allowed
  "id": "rfc9113/6.8/goaway-on-stream", "section": "RFC 9113 6.8", "level": "MUST",
  "requirements": ["9113-6.8-1"], "requirement": "r", "action": "a", "role": "server",
  "h2spec": ["http2/6.8/1"],
  "steps": [
    {"handshake": {}},
    {"send": {"type": "HEADERS", "stream": "$next_stream", "request": {}}},
    {"expect": {"connection_error": ["PROTOCOL_ERROR"]}}
  ]
})";

RequirementTable table() {
  RequirementTable t;
  t["9113-6.8-1"] = {"9113-6.8-1", "6.8", "MUST", "s"};
  return t;
}

std::vector<Case> load(const json& doc) { return load_case_text(doc.dump(), "x.json", table()); }

TEST(Loader, LoadsTheBaseCase) {
  auto cases = load_case_text(kBase, "x.json", table());
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].group, "http2");
  EXPECT_EQ(cases[0].spec, "RFC 9113");
  EXPECT_EQ(cases[0].section_number, "6.8");
  EXPECT_EQ(cases[0].file, "x.json");
  ASSERT_TRUE(cases[0].script);
  EXPECT_EQ(cases[0].script->steps.size(), 3u);
}

struct BadRow {
  const char* name;
  const char* pointer;  // where to put the value ("" value: remove)
  const char* value;
  const char* expected_pointer;
  const char* message;
};

class LoaderErrors : public ::testing::TestWithParam<BadRow> {};

TEST_P(LoaderErrors, NamesFileAndPointer) {
  const BadRow& row = GetParam();
  json doc = json::parse(kBase, nullptr, true, true);
  json::json_pointer ptr(row.pointer);
  if (std::string(row.value).empty()) {
    doc[ptr.parent_pointer()].erase(ptr.back());
  } else {
    doc[ptr] = json::parse(row.value);
  }
  try {
    load(doc);
    FAIL() << "no LoadError";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.file(), "x.json");
    EXPECT_EQ(e.pointer(), row.expected_pointer) << e.what();
    EXPECT_NE(e.message().find(row.message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, LoaderErrors,
    ::testing::Values(
        BadRow{"unknownTopKey", "/bogus", "1", "/bogus", "unknown key"},
        BadRow{"missingAction", "/action", "", "", "missing required key \"action\""},
        BadRow{"badIdShape", "/id", "\"RFC9113/x\"", "/id", "is not <spec>"},
        BadRow{"unknownSpec", "/id", "\"rfc1234/6.8/x\"", "/id", "unknown spec"},
        BadRow{"badLevel", "/level", "\"MUSTNT\"", "/level", "MUST, SHOULD or MAY"},
        BadRow{"unknownRequirement", "/requirements/0", "\"9113-99-1\"", "/requirements/0", "unknown requirement id"},
        BadRow{"emptyRequirements", "/requirements", "[]", "/requirements", "requirements_note"},
        BadRow{"badRole", "/role", "\"proxy\"", "/role", "server"},
        BadRow{"badH2specId", "/h2spec/0", "\"http2\"", "/h2spec/0", "h2spec id"},
        BadRow{"sectionOtherSpec", "/section", "\"RFC 7541 4.2\"", "/section", "not in the id's spec"},
        BadRow{"timeoutTooLarge", "/timeout_ms", "60001", "/timeout_ms", "outside"},
        BadRow{"emptySteps", "/steps", "[]", "/steps", "must not be empty"},
        BadRow{"stepTwoKeys", "/steps/1/expect", "{\"closed\": {}}", "/steps/1", "exactly one key"},
        BadRow{"unknownStepKind", "/steps/1", "{\"sleep\": {}}", "/steps/1/sleep", "unknown step kind"},
        BadRow{"unknownFrameType", "/steps/1/send/type", "\"FOO\"", "/steps/1/send/type", "unknown frame type"},
        BadRow{"unknownFlag", "/steps/1/send/flags", "[\"ACK\"]", "/steps/1/send/flags/0", "unknown flag"},
        BadRow{"unknownErrorCode", "/steps/2/expect/connection_error/0", "\"OOPS\"",
               "/steps/2/expect/connection_error/0", "unknown error code"},
        BadRow{"unknownSetting", "/steps/0/handshake/settings", "{\"BOGUS\": 1}", "/steps/0/handshake/settings/BOGUS",
               "unknown setting"},
        BadRow{"repeatTooLarge", "/steps/1", "{\"repeat\": {\"count\": 100001, \"steps\": [{\"send\": {\"type\": \"PING\"}}]}}",
               "/steps/1/repeat/count", "outside 1..100000"},
        BadRow{"sendRawWithoutNote", "/steps/1", "{\"send_raw\": {\"hex\": \"00\"}}", "/steps/1/send_raw", "\"note\""},
        BadRow{"badHex", "/steps/1", "{\"send_raw\": {\"hex\": \"0g\", \"note\": \"n\"}}", "/steps/1/send_raw/hex", "bad hex"},
        BadRow{"oddHex", "/steps/1", "{\"send_raw\": {\"hex\": \"000\", \"note\": \"n\"}}", "/steps/1/send_raw/hex", "odd"},
        BadRow{"badExpressionName", "/steps/1/send/stream", "\"$nope\"", "/steps/1/send/stream", "bad expression"},
        BadRow{"badExpressionOperator", "/steps/1/send/stream", "\"$last_stream * 2\"", "/steps/1/send/stream", "bad expression"},
        BadRow{"wrongType", "/steps/1/send/stream", "true", "/steps/1/send/stream", "expected an integer"},
        BadRow{"negativeNumber", "/steps/1/send/stream", "-1", "/steps/1/send/stream", "negative"},
        BadRow{"keyOfOtherType", "/steps/1/send/increment", "1", "/steps/1/send/increment", "for a HEADERS send"},
        BadRow{"twoBlockSources", "/steps/1/send/fields", "[[\"a\", \"b\"]]", "/steps/1/send", "one source"},
        BadRow{"twoOutcomes", "/steps/2/expect/closed", "{}", "/steps/2/expect/connection_error", "more than one"},
        BadRow{"unknownOutcome", "/steps/2/expect/maybe", "{}", "/steps/2/expect/maybe", "unknown outcome"},
        BadRow{"badGrade", "/steps/2/expect/also_accept", "[{\"closed\": {}, \"grade\": \"maybe\"}]",
               "/steps/2/expect/also_accept/0/grade", "grade"},
        BadRow{"badStatus", "/steps/2/expect", "{\"response\": {\"status\": \"2yy\"}}", "/steps/2/expect/response/status", "2xx"},
        BadRow{"pingDataSize", "/steps/1/send", "{\"type\": \"PING\", \"data_hex\": \"00\"}", "/steps/1/send/data_hex", "8 octets"},
        BadRow{"requireBoth", "/steps/1", "{\"require\": {\"transport\": \"tls\", \"peer_setting\": \"MAX_FRAME_SIZE\"}}",
               "/steps/1/require", "exactly one"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Loader, BadHpackInstructionNamesIt) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["steps"][1]["send"].erase("request");
  doc["steps"][1]["send"]["block"] = json::parse(R"([{"indexed": 2}, {"frobnicate": 1}])");
  try {
    load(doc);
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.pointer(), "/steps/1/send/block/1/frobnicate") << e.what();
  }
}

TEST(Loader, SyntaxErrorNamesTheFile) {
  try {
    load_case_text("{ \"id\": ", "broken.json", table());
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.file(), "broken.json");
    EXPECT_NE(e.message().find("not valid JSON"), std::string::npos);
  }
}

TEST(Loader, CasesListAndDuplicateIds) {
  json one = json::parse(kBase, nullptr, true, true);
  json two = one;
  two["id"] = "rfc9113/6.8/other";
  auto cases = load(json{{"cases", {one, two}}});
  EXPECT_EQ(cases.size(), 2u);
  try {
    load(json{{"cases", {one, one}}});
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_NE(e.message().find("duplicate id"), std::string::npos);
  }
  try {
    two["steps"] = 3;
    load(json{{"cases", {one, two}}});
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.pointer(), "/cases/1/steps");
  }
}

TEST(Matrix, ExpandsRowsWithTypedAndTextSubstitution) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["matrix"] = json::parse(R"([{"name": "pad-0", "vars": {"pad": 0, "word": "zero"}},
                                  {"name": "pad-255", "vars": {"pad": 255, "word": "max"}}])");
  doc["steps"][1]["send"]["padding"] = "{{pad}}";
  doc["action"] = "Pad with {{pad}} octets ({{word}}).";
  auto cases = load(doc);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].id, "rfc9113/6.8/goaway-on-stream/pad-0");
  EXPECT_EQ(cases[1].steps_source[1]["send"]["padding"], 255);
  EXPECT_EQ(std::get<Send>(cases[1].script->steps[1].kind).padding, 255);
  EXPECT_EQ(cases[1].action, "Pad with 255 octets (max).");
}

TEST(Matrix, UnknownVariableAndBadRowValueNameTheRow) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["matrix"] = json::parse(R"([{"name": "a", "vars": {"pad": 300}}])");
  doc["steps"][1]["send"]["padding"] = "{{pad}}";
  try {
    load(doc);
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.pointer(), "/steps/1/send/padding");
    EXPECT_NE(e.message().find("matrix row a"), std::string::npos) << e.what();
  }
  doc["steps"][1]["send"]["padding"] = "{{nope}}";
  try {
    load(doc);
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.pointer(), "/steps/1/send/padding");
    EXPECT_NE(e.message().find("no matrix variable \"nope\""), std::string::npos);
  }
}

TEST(Requirements, MissingFolderSaysWhatItIsFor) {
  try {
    load_requirements("/nonexistent-h2conform-specs");
    FAIL() << "no error";
  } catch (const LoadError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find(": : "), std::string::npos) << what;
    EXPECT_EQ(what.rfind("/nonexistent-h2conform-specs: cannot read the folder of requirement tables", 0), 0u) << what;
    EXPECT_NE(what.find("--specs"), std::string::npos) << what;
  }
}

TEST(Requirements, LoadsTheRepositoryTables) {
  ASSERT_FALSE(testing::source_dir().empty()) << "H2CONFORM_SOURCE_DIR is not set";
  RequirementTable t = load_requirements(testing::specs_dir());
  ASSERT_TRUE(t.count("9113-6.5.2-6"));
  EXPECT_EQ(t["9113-6.5.2-6"].section, "6.5.2");
  EXPECT_EQ(t["9113-6.5.2-6"].keyword, "MUST");
  EXPECT_GT(t.size(), 290u);
}

}  // namespace
}  // namespace h2conform::engine
