#include "runner/engine/connection/session.h"

#include <algorithm>
#include <cstring>

#include "runner/engine/case/json_values.h"

namespace h2conform::engine {
namespace {

constexpr std::size_t kReadChunk = 16384;

std::string block_summary(const FieldBlock& block) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : block.fields) fields.emplace_back(f.name, f.value);
  return "fields: " + summarize_fields(fields);
}

std::string describe_close(const transport::IoResult& r) {
  switch (r.status) {
    case transport::IoStatus::kClosed: return "peer FIN";
    case transport::IoStatus::kReset: return "peer RST";
    default: return r.detail.empty() ? "error" : r.detail;
  }
}

}  // namespace

Session::Session(std::unique_ptr<transport::Connection> connection, Role our_role, Clock& clock,
                 transport::Clock::time_point start, std::chrono::milliseconds step_timeout,
                 transport::Deadline case_deadline)
    : conn_(std::move(connection)), state_(our_role), clock_(clock), transcript_(start),
      step_timeout_(step_timeout), case_deadline_(case_deadline),
      preface_pending_(state_.traits().reads_client_preface) {}

transport::Deadline Session::step_deadline() {
  return std::min(clock_.now() + step_timeout_, case_deadline_);
}

namespace {

void keep_for_corpus(wire::Bytes* kept, const std::uint8_t* data, std::size_t n) {
  const std::size_t room = kMaxCorpusBytes - std::min(kMaxCorpusBytes, kept->size());
  kept->insert(kept->end(), data, data + std::min(room, n));
}

}  // namespace

bool Session::write(const wire::Bytes& bytes, std::size_t chop) {
  if (write_failed_ || !conn_) return false;
  if (corpus_sink_ != nullptr) keep_for_corpus(&corpus_.sent, bytes.data(), bytes.size());
  std::size_t piece = chop == 0 ? bytes.size() : chop;
  for (std::size_t pos = 0; pos < bytes.size(); pos += piece) {
    std::size_t n = std::min(piece, bytes.size() - pos);
    transport::IoResult r = conn_->write_all(std::span(bytes).subspan(pos, n), step_deadline());
    if (!r.ok()) {
      write_failed_ = true;
      transcript_.event(now(), "write failed (" + transport::to_string(r.status) +
                                   (r.detail.empty() ? "" : ": " + r.detail) + ")");
      return false;
    }
  }
  return true;
}

bool Session::send_frame(const wire::Frame& frame, const wire::EncodeOverrides& overrides,
                         std::size_t chop, const std::string& note) {
  wire::Bytes bytes = wire::encode_frame(frame, overrides);
  if (!write(bytes, chop)) {
    state_.on_send_failed(frame, wire::decode_frame_header(bytes).flags);
    return false;
  }
  wire::Frame recorded = frame;
  recorded.header = wire::decode_frame_header(bytes);  // what went on the wire
  transcript_.frame(Direction::kSent, now(), recorded, bytes, note);
  state_.on_sent(frame, recorded.header.flags);
  push_checks_.on_sent(recorded);
  return true;
}

bool Session::send_bytes(const wire::Bytes& bytes, std::size_t chop, const std::string& note, Framing framing) {
  if (framing == Framing::kUnknown) state_.on_raw_sent();
  state_.on_bytes_sent();
  if (!write(bytes, chop)) return false;
  transcript_.bytes(Direction::kSent, now(), bytes, note);
  return true;
}

// A bound of PeerBudget (or the field block cap) was reached: the case ends as an error.
Event Session::limit_event(std::string reason) {
  limit_reason_ = reason;
  return violation_event(std::move(reason));
}

std::optional<Event> Session::check_budget(const wire::FrameHeader& header) {
  ++frames_received_;
  ++frames_by_type_[header.type];
  bytes_received_ += wire::kFrameHeaderSize + header.length;
  if (frames_received_ <= PeerBudget::kMaxFrames && bytes_received_ <= PeerBudget::kMaxBytes) return std::nullopt;
  std::size_t most = 0;
  for (std::size_t t = 1; t < frames_by_type_.size(); ++t) {
    if (frames_by_type_[t] > frames_by_type_[most]) most = t;
  }
  const std::string which = std::to_string(frames_by_type_[most]) + " of them " +
                            wire::frame_type_name(static_cast<std::uint8_t>(most));
  if (frames_received_ > PeerBudget::kMaxFrames) {
    return limit_event("the target sent more than " + std::to_string(PeerBudget::kMaxFrames) + " frames (" + which +
                       ") in one case: cut short, as h2conform bounds what it takes from a target");
  }
  return limit_event("the target sent more than " + std::to_string(PeerBudget::kMaxBytes >> 20) + " MiB (" +
                     std::to_string(frames_received_) + " frames, " + which +
                     ") in one case: cut short, as h2conform bounds what it takes from a target");
}

Event Session::violation_event(std::string reason) {
  violation_ = reason;
  transcript_.event(now(), "violation: " + reason);
  Event e;
  e.kind = Event::Kind::kViolation;
  e.detail = std::move(reason);
  return e;
}

void Session::note_close(const transport::IoResult& r) {
  peer_closed_ = true;
  closed_by_ = describe_close(r);
  close_detail_ = closed_by_;
  transcript_.event(now(), "connection closed: " + closed_by_ +
                               (r.detail.empty() || closed_by_ == r.detail ? "" : " (" + r.detail + ")"));
}

// The server side reads the 24-octet client preface before any frame (RFC 9113 §3.4).
std::optional<Event> Session::read_preface() {
  const wire::ByteView pending = reader_.pending();
  if (pending.empty()) return std::nullopt;  // nothing yet; memcmp must not see its null data()
  const std::size_t check = std::min(pending.size(), kClientPreface.size());
  if (std::memcmp(pending.data(), kClientPreface.data(), check) != 0) {
    const wire::ByteView raw = pending.first(check);
    transcript_.bytes(Direction::kReceived, now(), raw, "bad client preface");
    return violation_event("the client preface is wrong: " + to_hex(raw.data(), raw.size()));
  }
  if (pending.size() < kClientPreface.size()) return std::nullopt;
  transcript_.event(now(), "client preface received");
  reader_.consume(kClientPreface.size());
  preface_pending_ = false;
  return std::nullopt;
}

// A target that answers in HTTP/1.x before any frame (a cleartext port that also serves
// HTTP/1.1, given bytes that are not the HTTP/2 preface) has left HTTP/2: that is a close, not a
// malformed frame. No frame header starts with "HTTP/1." (the type octet would be 'P').
std::optional<Event> Session::read_http1_answer(wire::ByteView view) {
  static constexpr std::string_view kHttp1 = "HTTP/1.";
  if (frame_seen_ || view.size() < kHttp1.size() || std::memcmp(view.data(), kHttp1.data(), kHttp1.size()) != 0) {
    return std::nullopt;
  }
  std::string_view text(reinterpret_cast<const char*>(view.data()), view.size());
  std::string line(text.substr(0, std::min(text.find('\r'), std::size_t{80})));
  transcript_.bytes(Direction::kReceived, now(), view.first(std::min<std::size_t>(view.size(), 256)), "HTTP/1.x: " + line);
  reader_ = wire::FrameReader();  // what follows is not HTTP/2: nothing more is framed
  peer_closed_ = true;
  closed_by_ = close_detail_ = "an HTTP/1.x answer (" + line + "), not HTTP/2";
  transcript_.event(now(), "connection closed: " + closed_by_);
  Event e;
  e.kind = Event::Kind::kClosed;
  e.detail = close_detail_;
  return e;
}

std::optional<Event> Session::decode_next() {
  if (preface_pending_) {
    if (auto e = read_preface()) return e;
    if (preface_pending_) return std::nullopt;
  }
  if (auto e = read_http1_answer(reader_.pending())) return e;
  reader_.set_options(state_.decode_options());  // our SETTINGS_MAX_FRAME_SIZE, once acknowledged
  wire::DecodeResult r = reader_.next();
  if (r.status == wire::DecodeStatus::kNeedMore) return std::nullopt;
  const wire::ByteView raw = reader_.last_bytes();
  if (r.status == wire::DecodeStatus::kError) {
    // An oversized frame is reported from its header, before its payload arrived: show that.
    const std::size_t shown = raw.size() < r.consumed ? std::min(raw.size(), wire::kFrameHeaderSize) : raw.size();
    transcript_.bytes(Direction::kReceived, now(), raw.first(shown), "malformed: " + r.error.reason, true);
    // What the decoder found, where, and how a receiver would treat it (RFC 9113 §5.4).
    const std::string scope = r.error.is_connection_error()
                                  ? "a connection error"
                                  : "a stream error on stream " + std::to_string(r.error.scope_stream);
    return violation_event("the target sent a malformed " + wire::frame_type_name(r.header.type) + " frame: " +
                           r.error.reason + " (" + scope + " of type " +
                           wire::error_code_name(static_cast<std::uint32_t>(r.error.code)) + ", at octet " +
                           std::to_string(r.error.offset) + " of the frame)");
  }
  return on_frame(r, raw);
}

Event Session::on_frame(const wire::DecodeResult& result, wire::ByteView raw) {
  frame_seen_ = true;
  if (auto limit = check_budget(result.frame.header)) return std::move(*limit);
  PeerFrameEffects fx = state_.on_received(result.frame);
  Event e;
  e.kind = Event::Kind::kFrame;
  e.frame = result.frame;
  transcript_.frame(Direction::kReceived, now(), result.frame, raw,
                    fx.block ? block_summary(*fx.block) : std::string());
  if (fx.field_block_too_large) return limit_event(fx.violation);
  if (!fx.violation.empty()) return violation_event(fx.violation);
  if (state_.traits().judges_server_messages) {  // rules for what a server pushes and pads
    if (auto bad = push_checks_.on_received(result.frame, state_); !bad.empty()) return violation_event(bad);
  }
  e.block = std::move(fx.block);
  const std::uint32_t id = result.frame.header.stream_id;
  const StreamInfo* stream = state_.stream(id);
  bool is_data = result.frame.header.type == static_cast<std::uint8_t>(wire::FrameType::kData);
  bool ends = (is_data && (result.frame.header.flags & wire::flags::kEndStream) != 0) ||
              (e.block && e.block->type == static_cast<std::uint8_t>(wire::FrameType::kHeaders) &&
               e.block->end_stream);
  if (e.block && e.block->type == static_cast<std::uint8_t>(wire::FrameType::kHeaders)) {
    auto status = status_of(e.block->fields);
    if (status && *status >= 200) e.final_status = status;
  }
  e.response_complete = ends && stream != nullptr && stream->final_status.has_value();
  for (const auto& reply : fx.replies) {
    if (++automatic_replies_ == PeerBudget::kMaxAutomaticReplies + 1) {
      transcript_.note(now(), "automatic replies stopped after " + std::to_string(PeerBudget::kMaxAutomaticReplies) +
                                   " in this case (h2conform bounds what it sends unasked)");
    }
    if (automatic_replies_ > PeerBudget::kMaxAutomaticReplies) break;
    send_frame(reply, {}, 0, "(automatic)");
  }
  return e;
}

Event Session::next_event(transport::Deadline deadline) {
  if (!violation_.empty()) return violation_event(violation_);
  std::vector<std::uint8_t> buf(kReadChunk);
  for (;;) {
    if (auto e = decode_next()) return std::move(*e);
    if (peer_closed_ || !conn_) {
      Event e;
      e.kind = Event::Kind::kClosed;
      e.detail = close_detail_.empty() ? "closed" : close_detail_;
      return e;
    }
    transport::IoResult r = conn_->read_some(buf, deadline);
    if (r.status == transport::IoStatus::kTimeout) {
      Event e;
      e.kind = Event::Kind::kTimeout;
      return e;
    }
    if (!r.ok()) {
      note_close(r);
      continue;
    }
    last_read_at_ = clock_.now();
    if (corpus_sink_ != nullptr) keep_for_corpus(&corpus_.received, buf.data(), r.n);
    reader_.feed(wire::ByteView(buf.data(), r.n));
  }
}

void Session::pass_over(Event event) {
  constexpr std::size_t kMaxPassedOver = 16;
  if (event.kind != Event::Kind::kFrame) return;
  if (auto* data = std::get_if<wire::DataFrame>(&event.frame.payload)) data->data.clear();  // not needed
  passed_over_.push_back(std::move(event));
  if (passed_over_.size() > kMaxPassedOver) passed_over_.pop_front();
}

std::vector<Event> Session::take_passed_over() {
  std::vector<Event> out(std::make_move_iterator(passed_over_.begin()), std::make_move_iterator(passed_over_.end()));
  passed_over_.clear();
  return out;
}

void Session::drain() {
  if (!violation_.empty() || !conn_) return;
  for (int i = 0; i < 64 && !peer_closed_; ++i) {
    Event e = next_event(clock_.now());
    if (e.kind != Event::Kind::kFrame) return;
  }
}

void Session::close() {
  if (corpus_sink_ != nullptr) {
    corpus_.our_role = state_.role();
    corpus_.peer_closed = peer_closed_;
    corpus_sink_->connection_finished(corpus_);
    corpus_sink_ = nullptr;
  }
  if (!conn_) return;
  conn_->close();
  conn_.reset();
  if (!peer_closed_) {
    closed_by_ = "us";
    transcript_.event(now(), "connection closed by us");
  }
}

}  // namespace h2conform::engine
