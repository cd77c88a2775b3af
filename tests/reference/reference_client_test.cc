// The reference client: its protocol core against hand-made server bytes (no I/O), and the whole
// client through the engine (run_client_case over loopback) against small client-role scripts.
#include "tests/reference/reference_client.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runner/engine/engine.h"
#include "runner/engine/run/client_runner.h"
#include "runner/wire/make_frame.h"

namespace h2conform::reference {
namespace {

using wire::Bytes;
using wire::ErrorCode;
using wire::make_frame;

// Builds what a server sends: frames, with field blocks from one HPACK encoder.
class ServerBytes {
 public:
  ServerBytes& frame(wire::Payload payload, std::uint32_t stream = 0, std::uint8_t flags = 0) {
    wire::append_frame(out_, make_frame(std::move(payload), stream, flags));
    return *this;
  }
  ServerBytes& settings(std::vector<wire::Setting> s = {}) { return frame(wire::SettingsFrame{std::move(s)}); }
  ServerBytes& headers(const hpack::HeaderList& fields, std::uint8_t flags, std::uint32_t stream = 1) {
    return frame(wire::HeadersFrame{encoder_.encode(fields), {}, {}}, stream, flags | wire::flags::kEndHeaders);
  }
  ServerBytes& data(std::size_t size, std::uint8_t flags = 0, std::uint32_t stream = 1) {
    return frame(wire::DataFrame{Bytes(size, 'x'), {}}, stream, flags);
  }
  ServerBytes& raw(const Bytes& bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  hpack::Encoder& encoder() { return encoder_; }
  const Bytes& bytes() const { return out_; }

 private:
  hpack::Encoder encoder_;
  Bytes out_;
};

constexpr std::uint8_t kEnd = wire::flags::kEndStream;
std::uint16_t id(wire::SettingId s) { return static_cast<std::uint16_t>(s); }

// The error frame the client sent, if any, and how it ended.
struct Reaction {
  std::optional<std::uint32_t> goaway;
  std::optional<std::uint32_t> rst;
  int window_updates = 0;
  int exit_status = -1;
  bool request_ended = false;
};

Reaction react(const ServerBytes& server, ClientConfig config = {}, ClientFaults faults = {}) {
  ReferenceClient client(config, faults, ClientRequest{});
  client.start();
  Bytes out;
  client.on_bytes(server.bytes(), &out);
  client.on_end("the server closed");
  Reaction r;
  wire::FrameReader reader(wire::DecodeOptions{wire::kMaxAllowedFrameSize, false});
  reader.feed(out);
  for (auto f = reader.next(); f.status == wire::DecodeStatus::kComplete; f = reader.next()) {
    if (auto* g = std::get_if<wire::GoawayFrame>(&f.frame.payload)) r.goaway = g->error_code;
    if (auto* rs = std::get_if<wire::RstStreamFrame>(&f.frame.payload)) r.rst = rs->error_code;
    if (std::holds_alternative<wire::WindowUpdateFrame>(f.frame.payload)) ++r.window_updates;
  }
  r.exit_status = client.exit_status();
  r.request_ended = client.request_ended();
  return r;
}

const hpack::HeaderList kOk = {{":status", "200"}};

struct Row {
  std::string name;
  std::function<void(ServerBytes&)> server;  // after the server's SETTINGS
  std::optional<ErrorCode> goaway;
  std::optional<ErrorCode> rst;
  int exit_status;
};

class ReferenceClientRules : public ::testing::TestWithParam<Row> {};

TEST_P(ReferenceClientRules, ReactsAsAConformingClient) {
  const Row& row = GetParam();
  ServerBytes server;
  server.settings();
  row.server(server);
  const Reaction r = react(server);
  auto code = [](std::optional<ErrorCode> c) { return c ? std::optional(static_cast<std::uint32_t>(*c)) : std::nullopt; };
  EXPECT_EQ(r.goaway, code(row.goaway));
  EXPECT_EQ(r.rst, code(row.rst));
  EXPECT_EQ(r.exit_status, row.exit_status);
}

std::vector<Row> rows() {
  using S = ServerBytes;
  const auto P = ErrorCode::kProtocolError;
  return {
      {"Ok200WithBody", [](S& s) { s.headers({{":status", "200"}, {"content-length", "5"}}, 0).data(5, kEnd); }, {}, {}, 0},
      {"InformationalThenFinal", [](S& s) { s.headers({{":status", "103"}}, 0).headers(kOk, kEnd); }, {}, {}, 0},
      {"Trailers", [](S& s) { s.headers(kOk, 0).data(3).headers({{"x-checksum", "1"}}, kEnd); }, {}, {}, 0},
      {"UnknownTypeFlagsAndReservedBit", [](S& s) {
         s.raw({0, 0, 2, 0xfa, 0xff, 0, 0, 0, 0, 1, 2}).raw(wire::encode_frame(make_frame(wire::PingFrame{}), {std::nullopt, std::uint8_t{0xfe}, true}));
         s.headers(kOk, kEnd);
       }, {}, {}, 0},
      {"NoResponse", [](S&) {}, {}, {}, 1},
      {"ServerResetsTheRequest", [](S& s) { s.frame(wire::RstStreamFrame{0x2}, 1); }, {}, {}, 1},
      {"GoawayBeforeTheRequest", [](S& s) { s.frame(wire::GoawayFrame{false, 0, 0, {}}); }, {}, {}, 1},
      {"EnablePushFromServer", [](S& s) { s.settings({{id(wire::SettingId::kEnablePush), 1}}); }, P, {}, 1},
      {"InitialWindowTooLarge", [](S& s) { s.settings({{id(wire::SettingId::kInitialWindowSize), 0x80000000u}}); },
       ErrorCode::kFlowControlError, {}, 1},
      {"MaxFrameSizeTooSmall", [](S& s) { s.settings({{id(wire::SettingId::kMaxFrameSize), 16383}}); }, P, {}, 1},
      {"SettingsLengthNotMultipleOfSix", [](S& s) { s.raw({0, 0, 5, 4, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}); },
       ErrorCode::kFrameSizeError, {}, 1},
      {"SettingsAckWithPayload", [](S& s) { s.raw({0, 0, 6, 4, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1}); },
       ErrorCode::kFrameSizeError, {}, 1},
      {"HpackIndexZero", [](S& s) { s.frame(wire::HeadersFrame{{0x80}, {}, {}}, 1, wire::flags::kEndHeaders); },
       ErrorCode::kCompressionError, {}, 1},
      {"ContinuationInterrupted", [](S& s) {
         s.frame(wire::HeadersFrame{s.encoder().encode(kOk), {}, {}}, 1).frame(wire::PingFrame{});
       }, P, {}, 1},
      {"ContinuationWithoutHeaders", [](S& s) { s.frame(wire::ContinuationFrame{{0x88}}, 1, wire::flags::kEndHeaders); }, P, {}, 1},
      {"DataOnIdleStream", [](S& s) { s.data(1, 0, 3); }, P, {}, 1},
      {"HeadersOnAStreamItDidNotOpen", [](S& s) { s.headers(kOk, kEnd, 2); }, P, {}, 1},
      {"DataOnClosedStream", [](S& s) { s.headers(kOk, kEnd).data(1); }, ErrorCode::kStreamClosed, {}, 1},
      {"DataBeyondTheWindows", [](S& s) {
         s.headers(kOk, 0);
         for (int i = 0; i < 4; ++i) s.data(16384);
       }, ErrorCode::kFlowControlError, {}, 1},
      {"OversizedFrame", [](S& s) { s.headers(kOk, 0).data(16385); }, {}, ErrorCode::kFrameSizeError, 1},
      {"WindowUpdateZeroOnConnection", [](S& s) { s.raw({0, 0, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0}); }, P, {}, 1},
      {"ConnectionWindowOverflow", [](S& s) { s.frame(wire::WindowUpdateFrame{false, 0x7fffffff}); },
       ErrorCode::kFlowControlError, {}, 1},
      {"StreamWindowOverflow", [](S& s) { s.frame(wire::WindowUpdateFrame{false, 0x7fffffff}, 1); }, {}, ErrorCode::kFlowControlError, 1},
      {"PushPromiseWithPushDisabled", [](S& s) {
         s.frame(wire::PushPromiseFrame{false, 2, s.encoder().encode({{":method", "GET"}, {":scheme", "http"},
                                                                       {":authority", "a"}, {":path", "/p"}}), {}}, 1,
                 wire::flags::kEndHeaders);
       }, P, {}, 1},
      {"PriorityUpdateIsUnknownWithout9218", [](S& s) {
         s.frame(wire::PriorityUpdateFrame{false, 1, "u=1"}).raw({0, 0, 1, 0x10, 0, 0, 0, 0, 1, 0}).headers(kOk, kEnd);
       }, {}, {}, 0},
      {"UppercaseResponseField", [](S& s) { s.headers({{":status", "200"}, {"X-Bad", "1"}}, kEnd); }, {}, P, 1},
      {"MissingStatus", [](S& s) { s.headers({{"server", "x"}}, kEnd); }, {}, P, 1},
      {"ContentLengthMismatch", [](S& s) { s.headers({{":status", "200"}, {"content-length", "4"}}, 0).data(3, kEnd); }, {}, P, 1},
      {"DataBeforeHeaders", [](S& s) { s.data(3, kEnd); }, {}, P, 1},
      {"InformationalWithEndStream", [](S& s) { s.headers({{":status", "100"}}, kEnd); }, {}, P, 1},
      {"TrailersWithoutEndStream", [](S& s) { s.headers(kOk, 0).headers({{"x-a", "1"}}, 0); }, {}, P, 1},
  };
}

INSTANTIATE_TEST_SUITE_P(Rows, ReferenceClientRules, ::testing::ValuesIn(rows()),
                         [](const auto& row) { return row.param.name; });

TEST(ReferenceClient, GivesBackWindowsAsItConsumesData) {
  ServerBytes server;
  server.settings().headers(kOk, 0);
  for (int i = 0; i < 3; ++i) server.data(16384);
  const Reaction three = react(server);
  EXPECT_EQ(three.window_updates, 0) << "16383 octets of each window are left";
  server.data(8193);  // now below an eighth (8191 of 65535)
  const Reaction four = react(server);
  EXPECT_EQ(four.window_updates, 2) << "the connection's and the stream's";
  EXPECT_FALSE(four.goaway);
  ClientFaults none;
  none.no_window_update = true;
  EXPECT_EQ(react(server, {}, none).window_updates, 0);
}

// RFC 9113 §4.1: the ACK of a PING whose header has the reserved bit and every unused flag set
// is the client's own header; the echo_ping_header fault keeps the PING's bits.
TEST(ReferenceClient, AcksAPingWithItsOwnHeader) {
  ServerBytes server;
  server.settings().raw(wire::encode_frame(make_frame(wire::PingFrame{}), {std::nullopt, std::uint8_t{0xfe}, true}));
  auto ack_of = [&server](ClientFaults faults) {
    ReferenceClient client({}, faults, ClientRequest{});
    client.start();
    Bytes out;
    client.on_bytes(server.bytes(), &out);
    wire::FrameReader reader;
    reader.feed(out);
    for (auto f = reader.next(); f.status == wire::DecodeStatus::kComplete; f = reader.next()) {
      if (std::holds_alternative<wire::PingFrame>(f.frame.payload)) return std::optional(f.frame.header);
    }
    return std::optional<wire::FrameHeader>();
  };
  const std::optional<wire::FrameHeader> clean = ack_of({});
  ASSERT_TRUE(clean.has_value());
  EXPECT_EQ(clean->flags, wire::flags::kAck);
  EXPECT_FALSE(clean->reserved);
  ClientFaults echo;
  echo.echo_ping_header = true;
  const std::optional<wire::FrameHeader> echoed = ack_of(echo);
  ASSERT_TRUE(echoed.has_value());
  EXPECT_EQ(echoed->flags, 0xff);
  EXPECT_TRUE(echoed->reserved);
}

TEST(ReferenceClient, FirstFrameMustBeSettings) {
  ServerBytes server;
  server.frame(wire::PingFrame{});
  ReferenceClient client({}, {}, {});
  client.start();
  Bytes out;
  client.on_bytes(server.bytes(), &out);
  EXPECT_TRUE(client.closed());
  EXPECT_EQ(client.exit_status(), 1);
}

TEST(ReferenceClient, CodeFaultsRewriteErrorCodes) {
  ServerBytes server;
  server.settings({{id(wire::SettingId::kInitialWindowSize), 0x80000000u}});
  ClientFaults wrong, generic;
  wrong.codes = CodeFault::kWrongCodes;
  generic.codes = CodeFault::kGenericProtocol;
  EXPECT_EQ(react(server, {}, wrong).goaway, static_cast<std::uint32_t>(ErrorCode::kFrameSizeError));
  EXPECT_EQ(react(server, {}, generic).goaway, static_cast<std::uint32_t>(ErrorCode::kProtocolError));
}

TEST(ReferenceClient, PriorityUpdateIsAConnectionErrorWith9218) {
  ServerBytes server;
  server.settings().frame(wire::PriorityUpdateFrame{false, 1, "u=1"});
  ClientConfig rfc9218;
  rfc9218.rfc9218 = true;
  EXPECT_EQ(react(server, rfc9218).goaway, static_cast<std::uint32_t>(ErrorCode::kProtocolError));
}

TEST(ReferenceClient, PushAcceptedWhenEnabledAndRefusedWhenMalformed) {
  ClientConfig push;
  push.enable_push = true;
  auto promise = [](ServerBytes& s, const std::string& method, std::uint32_t promised) {
    s.frame(wire::PushPromiseFrame{false, promised, s.encoder().encode({{":method", method}, {":scheme", "http"},
                                                                         {":authority", "a"}, {":path", "/p"}}), {}},
            1, wire::flags::kEndHeaders);
  };
  ServerBytes good;
  good.settings().headers(kOk, 0);
  promise(good, "GET", 2);
  good.headers(kOk, kEnd, 2).data(0, kEnd);
  const Reaction ok = react(good, push);
  EXPECT_FALSE(ok.goaway);
  EXPECT_FALSE(ok.rst);
  EXPECT_EQ(ok.exit_status, 0);

  ServerBytes post;
  post.settings().headers(kOk, 0);
  promise(post, "POST", 2);
  EXPECT_EQ(react(post, push).rst, static_cast<std::uint32_t>(ErrorCode::kProtocolError));

  ServerBytes lower;
  lower.settings().headers(kOk, 0);
  promise(lower, "GET", 4);
  promise(lower, "GET", 2);
  EXPECT_EQ(react(lower, push).goaway, static_cast<std::uint32_t>(ErrorCode::kProtocolError));
}

// ---- The whole client through the engine (loopback, real time, short bounds) ----

engine::Case load_inline(const std::string& steps, const std::string& client_exit) {
  const std::string text = R"({"id": "generic/0/inline", "section": "RFC 9113 8.1", "level": "MUST",
    "requirements": [], "requirements_note": "an inline test case", "requirement": "r", "action": "a",
    "role": "client", "client_exit": ")" + client_exit + R"(", "steps": )" + steps + "}";
  return engine::load_case_text(text, "inline.json", {}).at(0);
}

engine::CaseResult run_inline(const engine::Case& c, engine::ClientLauncher& launcher) {
  engine::ClientCaseSetup setup;
  setup.launcher = &launcher;
  engine::RunOptions options;
  options.timeout = std::chrono::milliseconds(2000);
  return engine::run_client_case(c, setup, engine::Target{}, options);
}

TEST(ReferenceClientEngine, CompletesAValidExchange) {
  auto launcher = make_reference_launcher();
  const engine::Case c = load_inline(R"([{"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}},
      {"send": {"type": "HEADERS", "stream": "$peer_stream", "fields": [[":status", "200"]]}},
      {"expect": {"alive": {}}},
      {"send": {"type": "DATA", "stream": "$peer_stream", "flags": ["END_STREAM"], "data": "ok"}}])", "success");
  const engine::CaseResult r = run_inline(c, *launcher);
  EXPECT_EQ(r.verdict, engine::Verdict::kPass) << r.reason;
  ASSERT_TRUE(r.client.has_value());
  EXPECT_TRUE(r.client->exited);
  EXPECT_EQ(r.client->exit_status, 0) << r.client->stderr_tail;
}

TEST(ReferenceClientEngine, RejectsAMalformedResponse) {
  auto launcher = make_reference_launcher();
  const engine::Case c = load_inline(R"([{"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}},
      {"send": {"type": "HEADERS", "stream": "$peer_stream", "flags": ["END_HEADERS", "END_STREAM"],
                "fields": [[":status", "200"], ["connection", "close"]]}},
      {"expect": {"stream_error": {"codes": ["PROTOCOL_ERROR"], "stream": "$peer_stream"}}}])", "failure");
  const engine::CaseResult r = run_inline(c, *launcher);
  EXPECT_EQ(r.verdict, engine::Verdict::kPass) << r.reason;
  ASSERT_TRUE(r.client.has_value());
  EXPECT_EQ(r.client->exit_status, 1);
  ClientFaults accept;
  accept.accept_malformed_response = true;
  auto mutant = make_reference_launcher({}, accept);
  EXPECT_EQ(run_inline(c, *mutant).verdict, engine::Verdict::kFail);
}

TEST(ReferenceClientEngine, RefusesTls) {
  auto launcher = make_reference_launcher();
  engine::ClientEndpoint https;
  https.scheme = "https";
  std::string error;
  EXPECT_EQ(launcher->launch(https, &error), nullptr);
  EXPECT_NE(error.find("cleartext"), std::string::npos);
}

}  // namespace
}  // namespace h2conform::reference
