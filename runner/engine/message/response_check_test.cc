// RFC 9113 §8 response checks: the pure checks, and `response: {"check_fields": true}` against a
// fake server that breaks one rule per row.
#include <chrono>

#include <gtest/gtest.h>

#include "runner/engine/script/engine_test_util.h"
#include "runner/engine/message/message_check.h"
#include "runner/engine/message/response_check.h"

namespace h2conform::engine {
namespace {

using testing::FakeClock;
using testing::FakePeer;
using testing::make_case;

struct FieldRow {
  const char* name;
  hpack::HeaderList fields;
  const char* problem;  // empty: well-formed
};

class ResponseFields : public ::testing::TestWithParam<FieldRow> {};

TEST_P(ResponseFields, FindsTheFirstProblem) {
  const FieldRow& row = GetParam();
  std::string problem = check_message(row.fields, MessageKind::kResponse).problem;
  if (std::string(row.problem).empty()) {
    EXPECT_EQ(problem, "");
  } else {
    EXPECT_NE(problem.find(row.problem), std::string::npos) << problem;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ResponseFields,
    ::testing::Values(
        FieldRow{"wellFormed", {{":status", "200"}, {"server", "x"}, {"content-length", "3"}}, ""},
        FieldRow{"noStatus", {{"server", "x"}}, "0 :status fields"},
        FieldRow{"twoStatuses", {{":status", "200"}, {":status", "200"}}, "2 :status fields"},
        FieldRow{"statusNotThreeDigits", {{":status", "20"}}, "three-digit"},
        FieldRow{"statusLetters", {{":status", "2oo"}}, "three-digit"},
        FieldRow{"requestPseudo", {{":status", "200"}, {":path", "/"}}, ":path in a response"},
        FieldRow{"unknownPseudo", {{":status", "200"}, {":x", "1"}}, ":x in a response"},
        FieldRow{"pseudoAfterRegular", {{"server", "x"}, {":status", "200"}}, "after a regular field"},
        FieldRow{"upperCase", {{":status", "200"}, {"Server", "x"}}, "upper-case"},
        FieldRow{"space", {{":status", "200"}, {"my field", "x"}}, "prohibited character"},
        FieldRow{"colon", {{":status", "200"}, {"a:b", "x"}}, "colon"},
        FieldRow{"connection", {{":status", "200"}, {"connection", "close"}}, "connection-specific"},
        FieldRow{"keepAlive", {{":status", "200"}, {"keep-alive", "5"}}, "connection-specific"},
        FieldRow{"transferEncoding", {{":status", "200"}, {"transfer-encoding", "chunked"}}, "connection-specific"},
        FieldRow{"upgrade", {{":status", "200"}, {"upgrade", "h2c"}}, "connection-specific"},
        FieldRow{"proxyConnection", {{":status", "200"}, {"proxy-connection", "x"}}, "connection-specific"},
        FieldRow{"crInValue", {{":status", "200"}, {"x", "a\rb"}}, "NUL, CR or LF"},
        FieldRow{"leadingSpace", {{":status", "200"}, {"x", " a"}}, "whitespace"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(ResponseCheck, TrailersAndPushedRequests) {
  EXPECT_EQ(check_message({{"x-checksum", "1"}}, MessageKind::kResponseTrailers).problem, "");
  EXPECT_NE(check_message({{":status", "200"}}, MessageKind::kResponseTrailers).problem, "");
  hpack::HeaderList push = {{":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/s.css"}};
  EXPECT_EQ(check_message(push, MessageKind::kPromisedRequest).problem, "");
  push[0].value = "POST";
  EXPECT_NE(check_message(push, MessageKind::kPromisedRequest).problem.find("not safe and cacheable"), std::string::npos);
  EXPECT_NE(check_message({{":method", "GET"}, {":scheme", "https"}, {":path", "/"}}, MessageKind::kPromisedRequest).problem.find(":authority"),
            std::string::npos);
}

TEST(ResponseCheck, ContentLength) {
  std::string problem;
  EXPECT_EQ(response_content_length({{"content-length", "12"}}, 200, &problem), 12u);
  EXPECT_EQ(problem, "");
  response_content_length({{"content-length", "1x"}}, 200, &problem);
  EXPECT_NE(problem.find("not a number"), std::string::npos);
  problem.clear();
  response_content_length({{"content-length", "0"}}, 204, &problem);
  EXPECT_NE(problem.find("204"), std::string::npos);
  EXPECT_NE(check_content_length("GET", 200, 12, 11), "");
  EXPECT_EQ(check_content_length("HEAD", 200, 12, 0), "");
  EXPECT_EQ(check_content_length("GET", 304, 12, 0), "");
  EXPECT_EQ(check_content_length("", 200, 12, 0), "") << "unknown request method: not checked";
}

// What the fake server answers: a header section, DATA octets, optional trailers and push.
struct ServerRow {
  const char* name;
  const char* method;
  hpack::HeaderList headers;
  std::size_t body = 0;
  hpack::HeaderList trailers;
  hpack::HeaderList promise;
  Verdict verdict = Verdict::kPass;
};

class CheckFields : public ::testing::TestWithParam<ServerRow> {
 protected:
  CaseResult run(bool check) {
    const ServerRow& row = GetParam();
    peer.on_frame = [&row](const wire::Frame& f, FakePeer& p) {
      if (f.header.type != 1) return;
      const std::uint32_t id = f.header.stream_id;
      if (!row.promise.empty()) {
        p.send(wire::encode_frame(testing::make(
            wire::PushPromiseFrame{false, 2, p.encoder.encode(row.promise), std::nullopt}, id, wire::flags::kEndHeaders)));
      }
      p.send_headers(id, row.headers, row.body == 0 && row.trailers.empty());
      if (row.body > 0) {
        p.send(wire::encode_frame(testing::make(wire::DataFrame{wire::Bytes(row.body, 'x'), std::nullopt}, id,
                                                row.trailers.empty() ? wire::flags::kEndStream : 0)));
      }
      if (!row.trailers.empty()) p.send_headers(id, row.trailers, true);
    };
    std::string steps = std::string(R"([{"handshake": {"settings": {"ENABLE_PUSH": 1}}},
        {"send": {"type": "HEADERS", "stream": "$next_stream", "flags": ["END_STREAM", "END_HEADERS"],
                  "request": {"method": ")") + row.method + R"("}}},
        {"expect": {"response": {"check_fields": )" + (check ? "true" : "false") + "}}}]";
    Case c = make_case(steps);
    auto factory = peer.factory(&clock);
    RunOptions options;
    options.clock = &clock;
    Target target;
    target.authority = "example.test";
    return run_case(c, *factory, target, options);
  }
  FakeClock clock;
  FakePeer peer;
};

TEST_P(CheckFields, FailsABadServerOnlyWhenAskedTo) {
  CaseResult checked = run(true);
  EXPECT_EQ(checked.verdict, GetParam().verdict) << checked.reason << " / " << checked.observed;
  CaseResult unchecked = run(false);
  EXPECT_EQ(unchecked.verdict, Verdict::kPass) << unchecked.reason;
}

const hpack::HeaderList kOk = {{":status", "200"}};
const hpack::HeaderList kPush = {{":method", "GET"}, {":scheme", "https"}, {":authority", "example.test"}, {":path", "/a"}};

INSTANTIATE_TEST_SUITE_P(
    Rows, CheckFields,
    ::testing::Values(
        ServerRow{"wellFormed", "GET", {{":status", "200"}, {"content-length", "4"}}, 4, {}, {}, Verdict::kPass},
        ServerRow{"headWithLength", "HEAD", {{":status", "200"}, {"content-length", "4"}}, 0, {}, {}, Verdict::kPass},
        ServerRow{"notModified", "GET", {{":status", "304"}, {"content-length", "4"}}, 0, {}, {}, Verdict::kPass},
        ServerRow{"lengthMismatch", "GET", {{":status", "200"}, {"content-length", "5"}}, 4, {}, {}, Verdict::kFail},
        ServerRow{"lengthOn204", "GET", {{":status", "204"}, {"content-length", "0"}}, 0, {}, {}, Verdict::kFail},
        ServerRow{"upperCase", "GET", {{":status", "200"}, {"X-Big", "1"}}, 0, {}, {}, Verdict::kFail},
        ServerRow{"connection", "GET", {{":status", "200"}, {"connection", "keep-alive"}}, 0, {}, {}, Verdict::kFail},
        ServerRow{"requestPseudo", "GET", {{":status", "200"}, {":method", "GET"}}, 0, {}, {}, Verdict::kFail},
        ServerRow{"pseudoLast", "GET", {{"server", "x"}, {":status", "200"}}, 0, {}, {}, Verdict::kFail},
        ServerRow{"twoStatuses", "GET", {{":status", "200"}, {":status", "204"}}, 0, {}, {}, Verdict::kFail},
        ServerRow{"goodTrailers", "GET", kOk, 2, {{"x-sum", "1"}}, {}, Verdict::kPass},
        ServerRow{"pseudoInTrailers", "GET", kOk, 2, {{":status", "200"}}, {}, Verdict::kFail},
        ServerRow{"goodPush", "GET", kOk, 0, {}, kPush, Verdict::kPass},
        ServerRow{"pushPost", "GET", kOk, 0, {},
                  {{":method", "POST"}, {":scheme", "https"}, {":authority", "e"}, {":path", "/"}}, Verdict::kFail}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::engine
