// A real HTTP/2 client (curl, nghttp) against the engine's accepting source on loopback: we do
// the server's side of the handshake, read the client's request through wire::FrameReader and
// hpack, judge it with the shared message validator, and answer 200 with a small body. The
// client must exit 0 having printed that body. Skips when the client is not installed.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "runner/cli/subprocess_test_util.h"
#include "runner/engine/connection/factories.h"
#include "runner/engine/message/message_check.h"
#include "runner/engine/connection/session.h"
#include "runner/hpack/hpack.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {
namespace {

using namespace std::chrono_literals;
using Clock = transport::Clock;

constexpr auto kBudget = 10s;  // the whole exchange, client start to exit
const std::string kBody = "hello from h2conform\n";

// The program's path on PATH, or "" when it is not installed.
std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::filesystem::path p = std::filesystem::path(dir) / name;
    if (!dir.empty() && ::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return {};
}

struct ClientRow {
  const char* name;
  const char* program;
  bool tls;
  std::vector<std::string> args;  // before the URL
};

// The server side of one HTTP/2 exchange over `conn`, one frame at a time.
class ServerSide {
 public:
  ServerSide(transport::Connection& conn, Clock::time_point deadline) : conn_(conn), deadline_(deadline) {}

  bool send(const wire::Frame& frame) {
    const wire::Bytes bytes = wire::encode_frame(frame);
    return conn_.write_all(bytes, deadline_).ok();
  }

  // RFC 9113 §3.4: the client's 24-octet preface comes first.
  bool read_preface(std::string* error) {
    while (reader_.pending().size() < kClientPreface.size()) {
      if (!fill(error)) return false;
    }
    const std::string got(reinterpret_cast<const char*>(reader_.pending().data()), kClientPreface.size());
    if (got != kClientPreface) {
      *error = "the client did not start with the connection preface";
      return false;
    }
    reader_.consume(kClientPreface.size());
    return true;
  }

  // The next complete frame, or nullopt with *error (the connection ended, a bad frame, the deadline).
  std::optional<wire::Frame> next_frame(std::string* error) {
    for (;;) {
      wire::DecodeResult r = reader_.next();
      if (r.status == wire::DecodeStatus::kComplete) return std::move(r.frame);
      if (r.status == wire::DecodeStatus::kError) {
        *error = "malformed frame from the client: " + r.error.reason;
        return std::nullopt;
      }
      if (!fill(error)) return std::nullopt;
    }
  }

 private:
  bool fill(std::string* error) {
    std::uint8_t buf[4096];
    transport::IoResult r = conn_.read_some(buf, deadline_);
    if (!r.ok()) {
      *error = "reading from the client: " + transport::to_string(r.status) + " " + r.detail;
      return false;
    }
    reader_.feed({buf, r.n});
    return true;
  }

  transport::Connection& conn_;
  Clock::time_point deadline_;
  wire::FrameReader reader_;
};

wire::Frame frame_of(wire::Payload payload, std::uint32_t stream, std::uint8_t flags = 0) {
  wire::Frame f;
  f.header.stream_id = stream;
  f.header.flags = flags;
  f.payload = std::move(payload);
  return f;
}

bool is_type(const wire::Frame& f, wire::FrameType t) { return f.header.type == static_cast<std::uint8_t>(t); }

// The handshake, then the first request's header section: SETTINGS both ways (ours first, the
// client's acknowledged), HEADERS and any CONTINUATION joined and HPACK-decoded.
struct Request {
  std::uint32_t stream = 0;
  hpack::HeaderList fields;
};
std::optional<Request> read_request(ServerSide& server, std::string* error) {
  if (!server.send(frame_of(wire::SettingsFrame{}, 0)) || !server.read_preface(error)) {
    if (error->empty()) *error = "could not send our SETTINGS";
    return std::nullopt;
  }
  bool client_settings = false;
  wire::Bytes block;
  Request request;
  hpack::Decoder decoder;
  for (;;) {
    std::optional<wire::Frame> f = server.next_frame(error);
    if (!f) return std::nullopt;
    if (!client_settings) {  // RFC 9113 §3.4: the preface's SETTINGS frame comes first
      if (!is_type(*f, wire::FrameType::kSettings) || (f->header.flags & wire::flags::kAck) != 0) {
        *error = "the client's first frame is not SETTINGS";
        return std::nullopt;
      }
      client_settings = true;
      if (!server.send(frame_of(wire::SettingsFrame{}, 0, wire::flags::kAck))) return std::nullopt;
      continue;
    }
    if (const auto* h = std::get_if<wire::HeadersFrame>(&f->payload)) {
      request.stream = f->header.stream_id;
      block = h->fragment;
    } else if (const auto* c = std::get_if<wire::ContinuationFrame>(&f->payload)) {
      block.insert(block.end(), c->fragment.begin(), c->fragment.end());
    } else {
      continue;  // SETTINGS ACK, WINDOW_UPDATE, PRIORITY, ...
    }
    if ((f->header.flags & wire::flags::kEndHeaders) == 0) continue;
    if (auto bad = decoder.decode(block, &request.fields)) {
      *error = "the request's field block is invalid HPACK: " + bad->reason;
      return std::nullopt;
    }
    return request;
  }
}

bool answer(ServerSide& server, std::uint32_t stream) {
  hpack::Encoder encoder;
  const hpack::HeaderList response{{":status", "200"}, {"content-type", "text/plain"},
                                   {"content-length", std::to_string(kBody.size())}};
  wire::HeadersFrame headers;
  headers.fragment = encoder.encode(response);
  wire::DataFrame data;
  data.data.assign(kBody.begin(), kBody.end());
  return server.send(frame_of(std::move(headers), stream, wire::flags::kEndHeaders)) &&
         server.send(frame_of(std::move(data), stream, wire::flags::kEndStream));
}

class RealClient : public ::testing::TestWithParam<ClientRow> {};

TEST_P(RealClient, SendsAValidRequestAndReadsOurAnswer) {
  const ClientRow& row = GetParam();
  const std::string program = find_program(row.program);
  if (program.empty()) GTEST_SKIP() << row.program << " is not installed";
  std::string error;
  auto source = make_accepting_source({"127.0.0.1", 0, row.tls, {}, {}}, &error);
  ASSERT_NE(source, nullptr) << error;

  const std::string url = std::string(row.tls ? "https" : "http") + "://127.0.0.1:" +
                          std::to_string(source->port()) + "/conformance";
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), row.args.begin(), row.args.end());
  argv.push_back(url);
  cli::testing::Subprocess client(argv);
  ASSERT_TRUE(client.started()) << program;

  const auto deadline = Clock::now() + kBudget;
  auto conn = source->open(deadline, &error);
  ASSERT_NE(conn, nullptr) << error << "\n" << client.finish(1s).err;
  if (row.tls) {
    EXPECT_EQ(conn->alpn(), "h2");
  }
  ServerSide server(*conn, deadline);
  std::optional<Request> request = read_request(server, &error);
  ASSERT_TRUE(request.has_value()) << error << "\n" << client.finish(1s).err;
  EXPECT_EQ(request->stream % 2, 1u) << "a client opens odd streams (RFC 9113 §5.1.1)";

  // Judged as the reference server judges requests: RFC 9113 §8 plus the field grammar.
  const MessageRules strict{true, false};
  const MessageCheck check = check_message(request->fields, MessageKind::kRequest, strict);
  EXPECT_TRUE(check.ok()) << check.problem;
  EXPECT_EQ(check.request.method, "GET");
  // The same request with one field name in upper case must not pass (RFC 9113 §8.2.1).
  hpack::HeaderList altered = request->fields;
  altered.push_back({"X-Altered", "1"});
  const MessageCheck mutated = check_message(altered, MessageKind::kRequest, strict);
  EXPECT_NE(mutated.problem.find("RFC 9113 §8.2.1"), std::string::npos) << mutated.problem;
  EXPECT_TRUE(mutated.field_syntax);

  ASSERT_TRUE(answer(server, request->stream));
  // The client ends the connection itself once it has the response (GOAWAY or close); we
  // keep reading until then so its last frames are not refused.
  for (std::string end; server.next_frame(&end);) {
  }
  const cli::testing::ProcessResult result = client.finish(std::chrono::duration_cast<std::chrono::milliseconds>(
      std::max<Clock::duration>(deadline - Clock::now(), Clock::duration(0))));
  conn->close();
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(kBody), std::string::npos) << result.out;
}

INSTANTIATE_TEST_SUITE_P(
    Clients, RealClient,
    ::testing::Values(
        ClientRow{"CurlPriorKnowledge", "curl", false, {"--http2-prior-knowledge", "-sS", "--max-time", "8"}},
        ClientRow{"NghttpCleartext", "nghttp", false, {"-t", "8"}},
        ClientRow{"CurlTls", "curl", true, {"--http2", "-k", "-sS", "--max-time", "8"}},
        ClientRow{"NghttpTls", "nghttp", true, {"-t", "8"}}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::engine
