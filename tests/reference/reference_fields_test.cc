// Request validation rows (RFC 9113 §8, RFC 8441 §4).
#include <gtest/gtest.h>

#include <string>

#include "tests/reference/reference_fields.h"

namespace h2conform::reference {
namespace {

struct RequestRow {
  const char* name;
  hpack::HeaderList fields;
  bool extended_connect;
  bool malformed;
};

hpack::HeaderList get(hpack::HeaderList extra = {}) {
  hpack::HeaderList f{{":method", "GET"}, {":scheme", "https"}, {":authority", "a.test"}, {":path", "/"}};
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

class RequestCheckRows : public ::testing::TestWithParam<RequestRow> {};

TEST_P(RequestCheckRows, MatchesRfc9113Section8) {
  const RequestCheck r = check_request(GetParam().fields, GetParam().extended_connect);
  EXPECT_EQ(r.malformed.has_value(), GetParam().malformed) << r.malformed.value_or("");
}

INSTANTIATE_TEST_SUITE_P(
    Rows, RequestCheckRows,
    ::testing::Values(
        RequestRow{"PlainGet", get(), false, false},
        RequestRow{"TeTrailers", get({{"te", "trailers"}}), false, false},
        RequestRow{"TeGzip", get({{"te", "gzip"}}), false, true},
        RequestRow{"Connection", get({{"connection", "close"}}), false, true},
        RequestRow{"Uppercase", get({{"X-A", "1"}}), false, true},
        RequestRow{"ValueLeadingSpace", get({{"x-a", " 1"}}), false, true},
        RequestRow{"ValueNul", get({{"x-a", std::string("a\0b", 3)}}), false, true},
        RequestRow{"EmptyName", get({{"", "1"}}), false, true},
        RequestRow{"ColonInName", get({{"x:a", "1"}}), false, true},
        RequestRow{"UnknownPseudo", get({{":foo", "1"}}), false, true},
        RequestRow{"PseudoAfterRegular", hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}, {"x", "1"}, {":path", "/"}}, false, true},
        RequestRow{"StatusInRequest", get({{":status", "200"}}), false, true},
        RequestRow{"NoPath", hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}}, false, true},
        RequestRow{"EmptyPath", hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}, {":path", ""}}, false, true},
        RequestRow{"OptionsStar", hpack::HeaderList{{":method", "OPTIONS"}, {":scheme", "https"}, {":path", "*"}}, false, false},
        RequestRow{"HostDiffers", get({{"host", "b.test"}}), false, true},
        RequestRow{"Userinfo", hpack::HeaderList{{":method", "GET"}, {":scheme", "https"}, {":authority", "u@a.test"}, {":path", "/"}}, false, true},
        RequestRow{"Connect", hpack::HeaderList{{":method", "CONNECT"}, {":authority", "a.test:443"}}, false, false},
        RequestRow{"ConnectWithPath", hpack::HeaderList{{":method", "CONNECT"}, {":authority", "a.test:443"}, {":path", "/"}}, false, true},
        RequestRow{"ProtocolNotEnabled", hpack::HeaderList{{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "https"}, {":path", "/"}, {":authority", "a.test"}}, false, true},
        RequestRow{"ExtendedConnect", hpack::HeaderList{{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "https"}, {":path", "/"}, {":authority", "a.test"}}, true, false},
        RequestRow{"ProtocolOnGet", get({{":protocol", "websocket"}}), true, true},
        RequestRow{"BadContentLength", get({{"content-length", "1x"}}), false, true}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(TrailerCheck, RejectsPseudoHeaders) {
  EXPECT_TRUE(check_trailers({{":path", "/"}}).has_value());
  EXPECT_FALSE(check_trailers({{"x-checksum", "1"}}).has_value());
}

}  // namespace
}  // namespace h2conform::reference
