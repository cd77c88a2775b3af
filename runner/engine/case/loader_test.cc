// Loader tests: every bad input names the file and the JSON pointer of the offending value.
#include <gtest/gtest.h>

#include "runner/engine/engine.h"
#include "runner/engine/case/script.h"
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

TEST(Loader, ReadsClientExitOfClientCases) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["role"] = "client";
  EXPECT_EQ(load(doc)[0].script->client_exit, ClientExitRule::kAny);
  doc["client_exit"] = "failure";
  EXPECT_EQ(load(doc)[0].script->client_exit, ClientExitRule::kFailure);
  doc["client_exit"] = "success";
  EXPECT_EQ(load(doc)[0].script->client_exit, ClientExitRule::kSuccess);
  doc["client_exit"] = "maybe";
  EXPECT_THROW(load(doc), LoadError);
}

TEST(Loader, ReadsCheckFieldsOfAHeadersFrameOutcome) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["steps"][2]["expect"] = json::parse(R"({"frame": {"type": "HEADERS", "check_fields": true}})");
  auto checked = load(doc);
  EXPECT_TRUE(std::get<FrameOutcome>(std::get<Expect>(checked[0].script->steps[2].kind).primary.outcome).check_fields);
  doc["steps"][2]["expect"]["frame"].erase("check_fields");
  auto plain = load(doc);
  EXPECT_FALSE(std::get<FrameOutcome>(std::get<Expect>(plain[0].script->steps[2].kind).primary.outcome).check_fields);
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
        BadRow{"clientExitOnServerCase", "/client_exit", "\"failure\"", "/client_exit", "role is \"client\""},
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
        BadRow{"wholeFramesCutShort", "/steps/1", "{\"send_raw\": {\"hex\": \"0000040000\", \"note\": \"n\", \"whole_frames\": true}}",
               "/steps/1/send_raw/hex", "inside a frame header"},
        BadRow{"wholeFramesPayloadShort", "/steps/1", "{\"send_raw\": {\"hex\": \"00000806000000000000\", \"note\": \"n\", \"whole_frames\": true}}",
               "/steps/1/send_raw/hex", "inside a frame"},
        BadRow{"wholeFramesSettings", "/steps/1", "{\"send_raw\": {\"hex\": \"000000040000000000\", \"note\": \"n\", \"whole_frames\": true}}",
               "/steps/1/send_raw/hex", "SETTINGS and WINDOW_UPDATE"},
        BadRow{"wholeFramesFieldBlock", "/steps/1", "{\"send_raw\": {\"hex\": \"000000010500000001\", \"note\": \"n\", \"whole_frames\": true}}",
               "/steps/1/send_raw/hex", "field block"},
        BadRow{"badExpressionName", "/steps/1/send/stream", "\"$nope\"", "/steps/1/send/stream", "bad expression"},
        BadRow{"badExpressionOperator", "/steps/1/send/stream", "\"$last_stream * 2\"", "/steps/1/send/stream", "bad expression"},
        BadRow{"wrongType", "/steps/1/send/stream", "true", "/steps/1/send/stream", "expected an integer"},
        BadRow{"negativeNumber", "/steps/1/send/stream", "-1", "/steps/1/send/stream", "negative"},
        BadRow{"keyOfOtherType", "/steps/1/send/increment", "1", "/steps/1/send/increment", "for a HEADERS send"},
        BadRow{"twoBlockSources", "/steps/1/send/fields", "[[\"a\", \"b\"]]", "/steps/1/send", "one source"},
        BadRow{"twoOutcomes", "/steps/2/expect/closed", "{}", "/steps/2/expect/connection_error", "more than one"},
        BadRow{"unknownOutcome", "/steps/2/expect/maybe", "{}", "/steps/2/expect/maybe", "unknown outcome"},
        BadRow{"aliasBadShape", "/aliases", "[\"rfc9113/x\"]", "/aliases/0", "is not <spec>"},
        BadRow{"aliasIsOwnId", "/aliases", "[\"rfc9113/6.8/goaway-on-stream\"]", "/aliases/0", "own id"},
        BadRow{"aliasesNotAList", "/aliases", "\"rfc9113/6.8/old\"", "/aliases", "list of strings"},
        BadRow{"badGrade", "/steps/2/expect/also_accept", "[{\"closed\": {}, \"grade\": \"maybe\"}]",
               "/steps/2/expect/also_accept/0/grade", "grade"},
        BadRow{"badStatus", "/steps/2/expect", "{\"response\": {\"status\": \"2yy\"}}", "/steps/2/expect/response/status", "2xx"},
        BadRow{"pingDataSize", "/steps/1/send", "{\"type\": \"PING\", \"data_hex\": \"00\"}", "/steps/1/send/data_hex", "8 octets"},
        BadRow{"requireBoth", "/steps/1", "{\"require\": {\"transport\": \"tls\", \"peer_setting\": \"MAX_FRAME_SIZE\"}}",
               "/steps/1/require", "exactly one"},
        // Values the interpreter once replaced with a default when they did not convert.
        BadRow{"rstErrorCodeUnknown", "/steps/1/send", "{\"type\": \"RST_STREAM\", \"error_code\": \"OOPS\"}",
               "/steps/1/send/error_code", "unknown error code"},
        BadRow{"goawayErrorCodeTooLarge", "/steps/1/send", "{\"type\": \"GOAWAY\", \"error_code\": 4294967296}",
               "/steps/1/send/error_code", "outside"},
        BadRow{"sendSettingUnknown", "/steps/1/send", "{\"type\": \"SETTINGS\", \"settings\": [[\"BOGUS\", 1]]}",
               "/steps/1/send/settings/0/0", "unknown setting"},
        BadRow{"checkFieldsOnPing", "/steps/2/expect", "{\"frame\": {\"type\": \"PING\", \"check_fields\": true}}",
               "/steps/2/expect/frame/check_fields", "HEADERS frame"},
        BadRow{"frameOutcomeWithoutType", "/steps/2/expect", "{\"frame\": {\"stream\": 1}}", "/steps/2/expect/frame",
               "missing required key \"type\""},
        BadRow{"frameOutcomeUnknownFlag", "/steps/2/expect", "{\"frame\": {\"type\": \"PING\", \"flags\": [\"END_STREAM\"]}}",
               "/steps/2/expect/frame/flags/0", "unknown flag"},
        BadRow{"frameOutcomeFlagsTooLarge", "/steps/2/expect", "{\"frame\": {\"type\": \"PING\", \"flags\": \"0x100\"}}",
               "/steps/2/expect/frame/flags", "0..255"},
        BadRow{"frameOutcomePingDataSize", "/steps/2/expect", "{\"frame\": {\"type\": \"PING\", \"data_hex\": \"00\"}}",
               "/steps/2/expect/frame/data_hex", "8 octets"},
        BadRow{"pingAckDataNotHex", "/steps/2/expect", "{\"ping_ack\": {\"data_hex\": \"zz00000000000000\"}}",
               "/steps/2/expect/ping_ack/data_hex", "bad hex"},
        BadRow{"overflowFirstByteTooLarge", "/steps/1/send",
               "{\"type\": \"HEADERS\", \"block\": [{\"overflow_integer\": {\"first_byte\": \"0x100\", \"prefix\": 7, \"bytes\": 6}}]}",
               "/steps/1/send/block/0/overflow_integer/first_byte", "0..255"},
        BadRow{"failOnNoteNotText", "/steps/2/expect/fail_on", "[{\"closed\": {}, \"note\": 5}]",
               "/steps/2/expect/fail_on/0/note", "expected a string"},
        BadRow{"skipGradeWithoutNote", "/steps/2/expect/also_accept", "[{\"closed\": {}, \"grade\": \"skip\"}]",
               "/steps/2/expect/also_accept/0", "needs a note"},
        BadRow{"alsoAcceptNoteNotText", "/steps/2/expect/also_accept", "[{\"closed\": {}, \"grade\": \"pass\", \"note\": []}]",
               "/steps/2/expect/also_accept/0/note", "expected a string"}),
    [](const auto& row) { return std::string(row.param.name); });

// What the loader fills in when a case leaves a value out (cases/README.md), so that the
// interpreter never picks a default itself. Each row replaces step 1 of the base case.
struct DefaultRow {
  const char* name;
  const char* step;
  void (*check)(const Step& step);
};

std::int64_t literal(const Number& n) { return std::get<std::int64_t>(n.value); }
const Send& send_of(const Step& s) { return std::get<Send>(s.kind); }
template <typename T>
const T& instruction_of(const Step& s) {
  return std::get<T>(std::get<InstructionBlock>(send_of(s).block).instructions.at(0));
}

class LoaderDefaults : public ::testing::TestWithParam<DefaultRow> {};

TEST_P(LoaderDefaults, AreFilledInByTheLoader) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["steps"][1] = json::parse(GetParam().step);
  auto cases = load(doc);
  ASSERT_EQ(cases.size(), 1u);
  GetParam().check(cases[0].script->steps.at(1));
}

INSTANTIATE_TEST_SUITE_P(
    Rows, LoaderDefaults,
    ::testing::Values(
        DefaultRow{"rstStreamCodeIsCancel", R"({"send": {"type": "RST_STREAM"}})",
                   [](const Step& s) { EXPECT_EQ(send_of(s).error_code, 0x8u); }},
        DefaultRow{"rstStreamCodeAsWritten", R"({"send": {"type": "RST_STREAM", "error_code": "STREAM_CLOSED"}})",
                   [](const Step& s) { EXPECT_EQ(send_of(s).error_code, 0x5u); }},
        DefaultRow{"goawayCodeIsNoErrorAndLastStreamZero", R"({"send": {"type": "GOAWAY"}})",
                   [](const Step& s) {
                     EXPECT_EQ(send_of(s).error_code, 0x0u);
                     EXPECT_EQ(literal(send_of(s).last_stream_id), 0);
                   }},
        DefaultRow{"windowUpdateIncrementIsOne", R"({"send": {"type": "WINDOW_UPDATE"}})",
                   [](const Step& s) { EXPECT_EQ(literal(send_of(s).increment), 1); }},
        DefaultRow{"pingDataIsZero", R"({"send": {"type": "PING"}})",
                   [](const Step& s) { EXPECT_EQ(send_of(s).opaque, Opaque{}); }},
        DefaultRow{"priorityFields", R"({"send": {"type": "PRIORITY"}})",
                   [](const Step& s) {
                     ASSERT_TRUE(send_of(s).priority);
                     EXPECT_EQ(literal(send_of(s).priority->dependency), 0);
                     EXPECT_FALSE(send_of(s).priority->exclusive);
                     EXPECT_EQ(send_of(s).priority->weight, 16);
                   }},
        DefaultRow{"streamIsLeftToRunTime", R"({"send": {"type": "DATA"}})",
                   [](const Step& s) { EXPECT_FALSE(send_of(s).stream); }},
        DefaultRow{"flagsParsed", R"({"send": {"type": "HEADERS", "flags": ["END_STREAM", "END_HEADERS"], "request": {}}})",
                   [](const Step& s) { EXPECT_EQ(send_of(s).flags, std::optional<std::uint8_t>(0x5)); }},
        DefaultRow{"overflowFirstByteIs0x80",
                   R"({"send": {"type": "HEADERS", "block": [{"overflow_integer": {"prefix": 7, "bytes": 6}}]}})",
                   [](const Step& s) { EXPECT_EQ(instruction_of<OverflowInteger>(s).first_byte, 0x80); }},
        DefaultRow{"overflowFirstByteAsWritten",
                   R"({"send": {"type": "HEADERS", "block": [{"overflow_integer": {"first_byte": "0x3f", "prefix": 6, "bytes": 6}}]}})",
                   [](const Step& s) { EXPECT_EQ(instruction_of<OverflowInteger>(s).first_byte, 0x3f); }},
        DefaultRow{"literalWithoutIndexingNorHuffman",
                   R"({"send": {"type": "HEADERS", "block": [{"literal": ["a", "b"]}]}})",
                   [](const Step& s) {
                     EXPECT_EQ(instruction_of<LiteralField>(s).indexing, hpack::Indexing::kWithout);
                     EXPECT_FALSE(instruction_of<LiteralField>(s).huffman);
                   }},
        DefaultRow{"badHuffmanPadBitsEight", R"({"send": {"type": "HEADERS", "block": [{"bad_huffman": ["a", "b"]}]}})",
                   [](const Step& s) { EXPECT_EQ(instruction_of<BadHuffman>(s).pad_bits, 8); }},
        DefaultRow{"settingsInTheOrderGiven", R"({"send": {"type": "SETTINGS", "settings": [["MAX_FRAME_SIZE", 16384], ["ENABLE_PUSH", 0]]}})",
                   [](const Step& s) {
                     ASSERT_EQ(send_of(s).settings.size(), 2u);
                     EXPECT_EQ(send_of(s).settings[0].id, 0x5);
                     EXPECT_EQ(send_of(s).settings[1].id, 0x2);
                   }},
        DefaultRow{"handshakeDoesEverything", R"({"handshake": {}})",
                   [](const Step& s) {
                     const auto& h = std::get<Handshake>(s.kind);
                     EXPECT_TRUE(h.ack_peer_settings && h.wait_ack && h.preface && h.auto_window_update);
                     EXPECT_FALSE(h.settings);
                     EXPECT_TRUE(h.goaway_first.empty());
                   }},
        DefaultRow{"expressionIsParsed", R"({"send": {"type": "DATA", "stream": "$stream.2 + 2"}})",
                   [](const Step& s) {
                     const auto& e = std::get<Expression>(send_of(s).stream->value);
                     EXPECT_EQ(e.name, ValueName::kNthStream);
                     EXPECT_EQ(e.index, 2u);
                     EXPECT_EQ(e.offset, 2);
                   }},
        DefaultRow{"schemeIndexInAnIndexedInstruction",
                   R"({"send": {"type": "HEADERS", "block": [{"indexed": "$scheme_index"}]}})",
                   [](const Step& s) {
                     const auto& e = std::get<Expression>(instruction_of<IndexedField>(s).index.value);
                     EXPECT_EQ(e.name, ValueName::kSchemeIndex);
                     EXPECT_EQ(e.offset, 0);
                   }},
        DefaultRow{"alsoAcceptGradeAndNote",
                   R"({"expect": {"closed": {}, "also_accept": [{"stream_error": ["CANCEL"], "grade": "non_strict", "note": "n"}]}})",
                   [](const Step& s) {
                     const auto& x = std::get<Expect>(s.kind);
                     ASSERT_EQ(x.also_accept.size(), 1u);
                     EXPECT_EQ(x.also_accept[0].grade, AcceptGrade::kNonStrict);
                     EXPECT_EQ(x.also_accept[0].note, "n");
                     const auto& o = std::get<StreamErrorOutcome>(x.also_accept[0].outcome);
                     EXPECT_EQ(o.codes, std::vector<std::uint32_t>{0x8});
                     EXPECT_FALSE(o.stream);
                   }}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Loader, TlsFieldDefaults) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["tls"] = json::parse(R"({"alpn": ["h2"]})");
  auto cases = load(doc);
  const auto& tls = cases.at(0).script->tls;
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->on_handshake_failure, TlsSpec::OnFailure::kFail);
  EXPECT_EQ(tls->alpn, std::optional<std::vector<std::string>>({"h2"}));
  EXPECT_FALSE(tls->must_not_select);
  EXPECT_TRUE(tls->min_version.empty());
  doc.erase("tls");
  EXPECT_FALSE(load(doc).at(0).script->tls);
}

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

TEST(Aliases, KeptOnTheCaseAndSuffixedPerMatrixRow) {
  json doc = json::parse(kBase, nullptr, true, true);
  doc["aliases"] = json::parse(R"(["rfc9113/4.3/goaway-on-stream"])");
  auto one = load(doc);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, "rfc9113/6.8/goaway-on-stream");
  EXPECT_EQ(one[0].aliases, std::vector<std::string>{"rfc9113/4.3/goaway-on-stream"});
  doc["matrix"] = json::parse(R"([{"name": "a", "vars": {}}, {"name": "b", "vars": {}}])");
  auto rows = load(doc);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].aliases, std::vector<std::string>{"rfc9113/4.3/goaway-on-stream/b"});
  doc["matrix"][0]["aliases"] = json::parse(R"(["rfc9113/6.2/renamed-row"])");
  rows = load(doc);
  EXPECT_EQ(rows[0].aliases, (std::vector<std::string>{"rfc9113/4.3/goaway-on-stream/a", "rfc9113/6.2/renamed-row"}));
  EXPECT_EQ(rows[1].aliases, std::vector<std::string>{"rfc9113/4.3/goaway-on-stream/b"});
}

TEST(Aliases, MayNotRepeatAnIdOfTheFile) {
  json doc = json::parse(R"({"cases": []})");
  json first = json::parse(kBase, nullptr, true, true);
  json second = first;
  second["id"] = "rfc9113/6.8/other";
  second["aliases"] = json::parse(R"(["rfc9113/6.8/goaway-on-stream"])");
  doc["cases"] = json::array({first, second});
  try {
    load(doc);
    FAIL() << "no LoadError";
  } catch (const LoadError& e) {
    EXPECT_NE(e.message().find("duplicate id \"rfc9113/6.8/goaway-on-stream\""), std::string::npos) << e.what();
  }
}

TEST(Aliases, IndexMapsEachAliasToTheCurrentId) {
  Catalogue cat;
  cat.cases.resize(2);
  cat.cases[0].id = "rfc9113/6.2/merged";
  cat.cases[0].aliases = {"rfc9113/4.3/merged", "rfc9113/4.3/older"};
  cat.cases[1].id = "rfc9113/6.3/plain";
  const auto index = alias_index(cat);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.at("rfc9113/4.3/older"), "rfc9113/6.2/merged");
  EXPECT_EQ(index.count("rfc9113/6.3/plain"), 0u);
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
