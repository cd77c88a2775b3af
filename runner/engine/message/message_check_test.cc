// The shared message validator: one valid and one invalid row per request rule, each invalid
// row naming the section its reason must cite; then what the kinds share and where they differ.
#include "runner/engine/message/message_check.h"

#include <gtest/gtest.h>

#include <string>

namespace h2conform::engine {
namespace {

struct RequestRow {
  const char* name;
  hpack::HeaderList fields;
  const char* section;  // empty: well-formed; else the section the reason must name
  bool field_syntax = false;
  MessageRules rules = {};
};

hpack::HeaderList get(hpack::HeaderList extra = {}) {
  hpack::HeaderList f{{":method", "GET"}, {":scheme", "https"}, {":authority", "a.test"}, {":path", "/"}};
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

hpack::HeaderList request(const char* method, const char* path) {
  return {{":method", method}, {":scheme", "https"}, {":authority", "a.test"}, {":path", path}};
}

constexpr MessageRules kGrammar{true, false};
constexpr MessageRules kExtendedConnect{false, true};

class RequestRules : public ::testing::TestWithParam<RequestRow> {};

TEST_P(RequestRules, NamesTheSectionOfTheBrokenRule) {
  const RequestRow& row = GetParam();
  const MessageCheck r = check_message(row.fields, MessageKind::kRequest, row.rules);
  if (std::string(row.section).empty()) {
    EXPECT_TRUE(r.ok()) << r.problem;
    return;
  }
  EXPECT_NE(r.problem.find(std::string("(") + row.section + ")"), std::string::npos) << r.problem;
  EXPECT_EQ(r.field_syntax, row.field_syntax) << r.problem;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, RequestRules,
    ::testing::Values(
        // §8.2.1 field names and values
        RequestRow{"LowerCaseName", get({{"x-a", "1"}}), ""},
        RequestRow{"UpperCaseName", get({{"X-A", "1"}}), "RFC 9113 §8.2.1", true},
        RequestRow{"UpperCasePseudoName", hpack::HeaderList{{":Method", "GET"}}, "RFC 9113 §8.2.1", true},
        RequestRow{"SpaceInName", get({{"x a", "1"}}), "RFC 9113 §8.2.1", true},
        RequestRow{"ColonInName", get({{"x:a", "1"}}), "RFC 9113 §8.2.1", true},
        RequestRow{"EmptyName", get({{"", "1"}}), "RFC 9113 §8.2.1", true},
        RequestRow{"SpaceInsideValue", get({{"x-a", "a b"}}), ""},
        RequestRow{"NulInValue", get({{"x-a", std::string("a\0b", 3)}}), "RFC 9113 §8.2.1", true},
        RequestRow{"LeadingSpaceInValue", get({{"x-a", " a"}}), "RFC 9113 §8.2.1", true},
        // RFC 9110 §5.1 and §5.5, which §8.2.1 says to validate (SHOULD): only with the grammar on
        RequestRow{"ParenInNameWithoutGrammar", get({{"x(a", "1"}}), ""},
        RequestRow{"ParenInNameWithGrammar", get({{"x(a", "1"}}), "RFC 9110 §5.1", true, kGrammar},
        RequestRow{"ControlOctetWithoutGrammar", get({{"x-a", "a\x01"}}), ""},
        RequestRow{"ControlOctetWithGrammar", get({{"x-a", "a\x01"}}), "RFC 9110 §5.5", true, kGrammar},
        // §8.2.2 connection-specific fields; TE only "trailers"
        RequestRow{"TeTrailers", get({{"te", "trailers"}}), ""},
        RequestRow{"TeTrailersAnyCase", get({{"te", "Trailers"}}), ""},
        RequestRow{"TeGzip", get({{"te", "gzip"}}), "RFC 9113 §8.2.2"},
        RequestRow{"Connection", get({{"connection", "close"}}), "RFC 9113 §8.2.2"},
        RequestRow{"TransferEncoding", get({{"transfer-encoding", "chunked"}}), "RFC 9113 §8.2.2"},
        // §8.3 pseudo-header fields: defined ones only, before the regular fields
        RequestRow{"PseudoFirst", get({{"x", "1"}}), ""},
        RequestRow{"PseudoAfterRegular",
                   hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}, {"x", "1"}, {":path", "/"}},
                   "RFC 9113 §8.3"},
        RequestRow{"StatusInRequest", get({{":status", "200"}}), "RFC 9113 §8.3"},
        RequestRow{"UnknownPseudo", get({{":foo", "1"}}), "RFC 9113 §8.3"},
        // §8.3.1 exactly one :method, :scheme, :path; :path not empty, "*" only for OPTIONS
        RequestRow{"NoMethod", hpack::HeaderList{{":scheme", "https"}, {":path", "/"}}, "RFC 9113 §8.3.1"},
        RequestRow{"TwoMethods", get({{":method", "GET"}}), "RFC 9113 §8.3.1"},
        RequestRow{"NoScheme", hpack::HeaderList{{":method", "GET"}, {":path", "/"}}, "RFC 9113 §8.3.1"},
        RequestRow{"TwoSchemes", get({{":scheme", "https"}}), "RFC 9113 §8.3.1"},
        RequestRow{"NoPath", hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}}, "RFC 9113 §8.3.1"},
        RequestRow{"TwoPaths", get({{":path", "/"}}), "RFC 9113 §8.3.1"},
        RequestRow{"EmptyPath", request("GET", ""), "RFC 9113 §8.3.1"},
        RequestRow{"OptionsStar", request("OPTIONS", "*"), ""},
        RequestRow{"GetStar", request("GET", "*"), "RFC 9113 §8.3.1"},
        RequestRow{"AbsolutePath", request("GET", "http://a.test/"), "RFC 9113 §8.3.1"},
        // §8.3.1 :authority and Host
        RequestRow{"HostSameAsAuthority", get({{"host", "A.test"}}), ""},
        RequestRow{"HostDiffers", get({{"host", "b.test"}}), "RFC 9113 §8.3.1"},
        RequestRow{"HostWithoutAuthority",
                   hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"host", "a.test"}}, ""},
        RequestRow{"Userinfo", hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}, {":authority", "u@a.test"},
                                                 {":path", "/"}},
                   "RFC 9113 §8.3.1"},
        // §8.5 CONNECT: :authority host:port, no :scheme or :path
        RequestRow{"Connect", hpack::HeaderList{{":method", "CONNECT"}, {":authority", "a.test:443"}}, ""},
        RequestRow{"ConnectWithPath", hpack::HeaderList{{":method", "CONNECT"}, {":authority", "a.test:443"}, {":path", "/"}},
                   "RFC 9113 §8.5"},
        RequestRow{"ConnectWithoutAuthority", hpack::HeaderList{{":method", "CONNECT"}}, "RFC 9113 §8.5"},
        RequestRow{"ConnectWithoutPort", hpack::HeaderList{{":method", "CONNECT"}, {":authority", "a.test"}},
                   "RFC 9113 §8.5"},
        // RFC 8441 §4 extended CONNECT
        RequestRow{"ExtendedConnect",
                   hpack::HeaderList{{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "https"},
                                     {":path", "/"}, {":authority", "a.test"}},
                   "", false, kExtendedConnect},
        RequestRow{"ProtocolNotEnabled",
                   hpack::HeaderList{{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "https"},
                                     {":path", "/"}, {":authority", "a.test"}},
                   "RFC 8441 §4"},
        RequestRow{"ProtocolOnGet", get({{":protocol", "websocket"}}), "RFC 8441 §4", false, kExtendedConnect},
        // RFC 9110 §8.6 content-length, §9.1 method, RFC 3986 §3.1 scheme
        RequestRow{"ContentLength", get({{"content-length", "12"}, {"content-length", "12"}}), ""},
        RequestRow{"ContentLengthNotANumber", get({{"content-length", "1x"}}), "RFC 9110 §8.6"},
        RequestRow{"ContentLengthsDiffer", get({{"content-length", "1"}, {"content-length", "2"}}), "RFC 9110 §8.6"},
        RequestRow{"MethodNotAToken", request("GE T", "/"), "RFC 9110 §9.1"},
        RequestRow{"SchemeNotAScheme",
                   hpack::HeaderList{{":method", "GET"}, {":scheme", "1x"}, {":authority", "a"}, {":path", "/"}},
                   "RFC 3986 §3.1"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(MessageCheck, RequestInfoOfAWellFormedRequest) {
  const MessageCheck head = check_message(request("HEAD", "/x"), MessageKind::kRequest);
  ASSERT_TRUE(head.ok()) << head.problem;
  EXPECT_EQ(head.request.method, "HEAD");
  EXPECT_FALSE(head.request.connect);
  EXPECT_FALSE(head.request.content_length.has_value());
  const MessageCheck post = check_message(get({{"content-length", "7"}}), MessageKind::kRequest);
  EXPECT_EQ(post.request.content_length, 7u);
  const MessageCheck connect =
      check_message({{":method", "CONNECT"}, {":authority", "a.test:443"}}, MessageKind::kRequest);
  EXPECT_TRUE(connect.request.connect);
}

TEST(MessageCheck, SyntaxOutranksOtherProblems) {
  // A connection-specific field first and an upper-case name later: the syntax rule is reported,
  // so a server answers 400 (RFC 9113 §8.2.1) rather than resetting the stream.
  const MessageCheck r = check_message(get({{"connection", "close"}, {"X-A", "1"}}), MessageKind::kRequest);
  EXPECT_TRUE(r.field_syntax) << r.problem;
}

TEST(MessageCheck, TeTrailersOnlyInTheRequestDirection) {
  const hpack::HeaderList te{{"te", "trailers"}};
  EXPECT_TRUE(check_message(te, MessageKind::kRequestTrailers).ok());
  EXPECT_NE(check_message(te, MessageKind::kResponseTrailers).problem.find("RFC 9113 §8.2.2"), std::string::npos);
  EXPECT_NE(check_message({{":status", "200"}, {"te", "trailers"}}, MessageKind::kResponse).problem.find("§8.2.2"),
            std::string::npos);
}

TEST(MessageCheck, TrailersCarryNoPseudoHeaderFieldsInEitherDirection) {
  for (MessageKind kind : {MessageKind::kRequestTrailers, MessageKind::kResponseTrailers}) {
    EXPECT_EQ(check_message({{":path", "/"}}, kind).problem, "pseudo-header field :path in trailers (RFC 9113 §8.1)");
    EXPECT_TRUE(check_message({{"x-checksum", "1"}}, kind).ok());
  }
}

// The response reasons are the engine's verdict texts: they stay word for word.
TEST(MessageCheck, ResponseReasonsAreWordForWord) {
  const auto response = [](hpack::HeaderList extra) {
    hpack::HeaderList f{{":status", "200"}};
    f.insert(f.end(), extra.begin(), extra.end());
    return check_message(f, MessageKind::kResponse).problem;
  };
  EXPECT_EQ(response({{"Server", "x"}}), "field name \"Server\" has upper-case characters (RFC 9113 §8.2.1)");
  EXPECT_EQ(response({{"connection", "close"}}), "connection-specific field \"connection\" (RFC 9113 §8.2.2)");
  EXPECT_EQ(response({{"x", "a\nb"}}), "the value of x has NUL, CR or LF (RFC 9113 §8.2.1)");
  EXPECT_EQ(response({{":path", "/"}}), "pseudo-header field :path in a response (RFC 9113 §8.3.2)");
  EXPECT_EQ(check_message({{"x", "1"}, {":status", "200"}}, MessageKind::kResponse).problem,
            "pseudo-header field :status after a regular field (RFC 9113 §8.3)");
  // Grammar rules are for requests the reference server judges; responses keep §8.2.1 alone.
  EXPECT_EQ(response({{"x(a", "\x01"}}), "");
}

}  // namespace
}  // namespace h2conform::engine
