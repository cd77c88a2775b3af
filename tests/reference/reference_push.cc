// The reference server's server push (RFC 9113 §8.4) and padding (§6.1, §6.2, §6.6), both off
// unless ServerConfig asks for them, and the push mutants' faults.
#include <algorithm>

#include "runner/wire/make_frame.h"
#include "tests/reference/reference_server.h"

namespace h2conform::reference {
namespace {

constexpr std::size_t kMaxPushed = 1024;  // promised streams remembered, so memory stays bounded

bool is(const wire::Frame& f, wire::FrameType t) { return f.header.type == static_cast<std::uint8_t>(t); }

}  // namespace

void ReferenceServer::note_request_target(Stream& s, const hpack::HeaderList& fields) {
  for (const auto& f : fields) {
    if (f.name == ":scheme") s.scheme = f.value;
    if (f.name == ":authority") s.authority = f.value;
    if (f.name == ":path") s.path = f.value;
  }
}

// RFC 9113 §8.4: no push when the client disabled it (§6.5.2) or sent GOAWAY (§6.8).
bool ReferenceServer::may_push() const {
  if (config_.push_path.empty() || pushed_.size() >= kMaxPushed) return false;
  if (faults_.push == PushFault::kIgnoreLimits) return true;
  return peer_enable_push_ && !peer_goaway_;
}

// Promises a GET of push_path, on the request's stream, before the response (§8.4.1 SHOULD).
void ReferenceServer::push_for(const Stream& s) {
  if (!may_push() || s.path == config_.push_path || s.scheme.empty() || s.authority.empty()) return;
  std::uint32_t promised = next_push_id_;
  next_push_id_ += 2;
  if (faults_.push == PushFault::kOddPromisedId) promised = highest_stream_ + 2;
  const char* method = faults_.push == PushFault::kUnsafeMethod ? "POST" : "GET";
  hpack::HeaderList request{{":method", method, false},
                            {":scheme", s.scheme, false},
                            {":authority", s.authority, false},
                            {":path", config_.push_path, false}};
  send(wire::make_frame(wire::PushPromiseFrame{false, promised, encoder_.encode(request), std::nullopt}, s.id,
            wire::flags::kEndHeaders));
  PushedStream& p = pushed_[promised];
  p.associated = s.id;
  p.send_window = peer_initial_window_;
  p.pending.assign(config_.push_body.begin(), config_.push_body.end());
  if (faults_.push == PushFault::kDataBeforeHeaders) {
    send(wire::make_frame(wire::DataFrame{Bytes(p.pending.begin(), p.pending.begin() + 1), std::nullopt}, promised));
    p.pending.erase(p.pending.begin());
    p.send_window -= 1;
    conn_send_window_ -= 1;
  }
}

// Opens reserved pushed streams while the client's SETTINGS_MAX_CONCURRENT_STREAMS allows
// (RFC 9113 §5.1.2: it limits the streams we initiate).
void ReferenceServer::open_pushed() {
  std::uint32_t open = 0;
  for (const auto& [id, p] : pushed_) open += p.opened && !p.done ? 1 : 0;
  for (auto& [id, p] : pushed_) {
    if (closed_ || p.opened || p.done) continue;
    if (peer_max_concurrent_ && open >= *peer_max_concurrent_ && faults_.push != PushFault::kIgnoreLimits) return;
    hpack::HeaderList head{{":status", "200", false}, {"content-length", std::to_string(config_.push_body.size()), false}};
    send(wire::make_frame(wire::HeadersFrame{encoder_.encode(head), std::nullopt, std::nullopt}, id, wire::flags::kEndHeaders));
    p.opened = true;
    ++open;
  }
  flush_pushed();
}

void ReferenceServer::flush_pushed() {
  const auto overhead = static_cast<std::int64_t>(padding_overhead());
  for (auto& [id, p] : pushed_) {
    if (closed_ || !p.opened || p.done) continue;
    const std::int64_t room = std::min({conn_send_window_, p.send_window,
                                        static_cast<std::int64_t>(peer_max_frame_size_)}) - overhead;
    if (room < static_cast<std::int64_t>(p.pending.size())) continue;  // the body is small: all or nothing
    const auto n = static_cast<std::int64_t>(p.pending.size()) + overhead;
    conn_send_window_ -= n;
    p.send_window -= n;
    send(wire::make_frame(wire::DataFrame{std::move(p.pending), std::nullopt}, id, wire::flags::kEndStream));
    p.pending.clear();
    p.done = true;
  }
}

// The client's frames on a promised stream. RFC 9113 §5.1: in reserved (local) only RST_STREAM,
// PRIORITY and WINDOW_UPDATE may arrive, anything else is a connection error PROTOCOL_ERROR;
// once we opened it, it is half-closed (remote), where other frames are a stream error
// STREAM_CLOSED. Returns false for frames on other streams.
bool ReferenceServer::on_pushed_stream_frame(const wire::Frame& frame) {
  auto it = pushed_.find(frame.header.stream_id);
  if (it == pushed_.end()) return false;
  PushedStream& p = it->second;
  if (is(frame, wire::FrameType::kPriority)) return true;
  if (is(frame, wire::FrameType::kRstStream)) {
    p.done = true;
    return true;
  }
  if (const auto* wu = std::get_if<wire::WindowUpdateFrame>(&frame.payload)) {
    p.send_window += wu->increment;
    flush_pushed();
    return true;
  }
  if (!p.opened && !p.done) {
    fail_connection(ErrorCode::kProtocolError, wire::frame_type_name(frame.header.type) + " on reserved (local) stream " +
                                                   std::to_string(frame.header.stream_id) + " (RFC 9113 §5.1)");
    return true;
  }
  fail_stream(frame.header.stream_id, ErrorCode::kStreamClosed);
  return true;
}

std::size_t ReferenceServer::padding_overhead() const { return config_.padding == 0 ? 0 : config_.padding + 1u; }

// RFC 9113 §6.1, §6.2, §6.6: padding octets are zero (dirty_padding breaks that).
void ReferenceServer::pad(wire::Frame& frame) const {
  if (config_.padding == 0) return;
  wire::Padding padding{config_.padding, Bytes(config_.padding, faults_.dirty_padding ? 0x5a : 0)};
  bool padded = true;
  if (auto* d = std::get_if<wire::DataFrame>(&frame.payload)) d->padding = padding;
  else if (auto* h = std::get_if<wire::HeadersFrame>(&frame.payload)) h->padding = padding;
  else if (auto* pp = std::get_if<wire::PushPromiseFrame>(&frame.payload)) pp->padding = padding;
  else padded = false;
  if (padded) frame.header.flags |= wire::flags::kPadded;
}

}  // namespace h2conform::reference
