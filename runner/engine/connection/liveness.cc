// Whether a server still serves (liveness.h).
#include "runner/engine/connection/liveness.h"

#include "runner/engine/connection/clock.h"
#include "runner/engine/connection/session.h"
#include "runner/wire/frame_types.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine {
namespace {

using std::chrono::milliseconds;

constexpr int kMaxEvents = 256;

}  // namespace

// A GET of the target's path on stream 1, END_STREAM, with the run's --header fields.
wire::Frame get_request(Session& s, const Target& target) {
  hpack::HeaderList fields{{":method", "GET"}, {":scheme", target.scheme}, {":authority", target.authority},
                           {":path", target.path}};
  for (const auto& [name, value] : target.headers) fields.push_back({name, value});
  wire::Frame headers;
  headers.header.type = static_cast<std::uint8_t>(wire::FrameType::kHeaders);
  headers.header.flags = wire::flags::kEndStream | wire::flags::kEndHeaders;
  headers.header.stream_id = 1;
  headers.payload = wire::HeadersFrame{s.state().encoder().encode(fields), std::nullopt, std::nullopt};
  return headers;
}

AnswerCheck check_target_answers(ConnectionSource& source, const Target& target, milliseconds timeout) {
  AnswerCheck out;
  const auto start = transport::Clock::now();
  std::string error;
  auto conn = source.open(start + timeout, &error);
  if (!conn) {
    out.detail = "cannot connect: " + error;
    return out;
  }
  Session s(std::move(conn), Role::kClient, real_clock(), start, timeout, start + timeout);
  s.send_bytes(wire::Bytes(wire::kClientMagic.begin(), wire::kClientMagic.end()), 0, "client connection preface",
               Session::Framing::kWhole);
  s.send_frame(wire::make_frame(wire::SettingsFrame{}), {}, 0, "our SETTINGS");
  const wire::PingFrame ping{{'a', 'n', 's', 'w', 'e', 'r', 's', '?'}};
  s.send_frame(wire::make_frame(ping), {}, 0, "are you there?");
  s.send_frame(get_request(s, target), {}, 0, "a GET");
  bool ping_acked = false, stream_answered = false;
  std::string last;
  for (int events = 0; events < kMaxEvents && !(ping_acked && stream_answered); ++events) {
    Event e = s.next_event(s.case_deadline());
    if (e.kind == Event::Kind::kClosed) {
      out.detail = "closed the connection (" + e.detail + ")" + last;
      break;
    }
    if (e.kind == Event::Kind::kTimeout) {
      out.detail = std::string(!ping_acked ? "no PING ACK" : "no response to a GET") + " within " +
                   std::to_string(timeout.count()) + " ms" + last;
      break;
    }
    if (e.kind != Event::Kind::kFrame) continue;
    const auto type = static_cast<wire::FrameType>(e.frame.header.type);
    if (type == wire::FrameType::kPing && (e.frame.header.flags & wire::flags::kAck) != 0) ping_acked = true;
    if (e.frame.header.stream_id == 1 && (e.final_status || type == wire::FrameType::kRstStream)) stream_answered = true;
    if (type == wire::FrameType::kGoaway) last = " after a GOAWAY";
  }
  s.close();
  out.answered = ping_acked && stream_answered;
  if (!out.answered && out.detail.empty()) out.detail = "no answer in " + std::to_string(kMaxEvents) + " frames";
  if (out.answered) out.detail.clear();
  return out;
}

}  // namespace h2conform::engine
