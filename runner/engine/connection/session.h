// One case's connection: bytes in and out, the connection model, the transcript.
//
// Contract: every read and write ends at a deadline. The target's bytes are data: a malformed
// frame, invalid HPACK or a bad client preface becomes a violation (the case fails), never an
// exception. Automatic replies (SETTINGS ACK, PING ACK, WINDOW_UPDATE) are sent as frames
// arrive. The target's bytes go through one wire::FrameReader, which holds at most one frame
// plus what was read ahead, and skips an oversized frame's payload instead of keeping it.
// What one case takes from the target is bounded (PeerBudget): past a bound the session stops
// reading, every later event is a violation, and limit_reason() says which bound the target
// broke, so that the case ends as an error with that reason rather than as a verdict.
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "runner/engine/connection/connection_state.h"
#include "runner/engine/connection/clock.h"
#include "runner/engine/connection/corpus.h"
#include "runner/engine/connection/push_checks.h"
#include "runner/engine/connection/transcript.h"
#include "runner/transport/transport.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

inline constexpr std::string_view kClientPreface = wire::kClientMagic;

// Bounds on what one case takes from the target and gives back unasked. No case of the
// catalogue comes near them; a flood reaches them within a fraction of a second.
struct PeerBudget {
  static constexpr std::uint64_t kMaxFrames = 50'000;            // frames received
  static constexpr std::uint64_t kMaxBytes = 32ull << 20;        // octets received
  static constexpr std::uint64_t kMaxAutomaticReplies = 5'000;   // ACKs and WINDOW_UPDATEs we send
};

struct Event {
  enum class Kind { kFrame, kClosed, kTimeout, kViolation };
  Kind kind = Kind::kTimeout;
  wire::Frame frame;                // kFrame
  std::optional<FieldBlock> block;  // kFrame: a field block completed with this frame
  std::string detail;               // kClosed: how; kViolation: why
  std::optional<int> final_status;  // kFrame: a final (>= 200) :status completed with this frame
  bool response_complete = false;   // kFrame: this frame ended a stream that has a final status
};

class Session {
 public:
  Session(std::unique_ptr<transport::Connection> connection, Role our_role, Clock& clock,
          transport::Clock::time_point start, std::chrono::milliseconds step_timeout,
          transport::Deadline case_deadline);

  ConnectionState& state() { return state_; }
  Transcript& transcript() { return transcript_; }
  Clock& clock() { return clock_; }
  transport::Clock::time_point now() { return clock_.now(); }
  // min(now + the step timeout, the case's cap).
  transport::Deadline step_deadline();
  transport::Deadline case_deadline() const { return case_deadline_; }
  std::chrono::milliseconds step_timeout() const { return step_timeout_; }

  // Encodes, writes (in pieces of `chop` octets when non-zero), records, updates the model.
  // False when the connection can no longer be written (recorded as an event).
  bool send_frame(const wire::Frame& frame, const wire::EncodeOverrides& overrides, std::size_t chop,
                  const std::string& note);
  // Raw bytes. Their framing is not followed, so error probes stop (ConnectionState::probe_safe)
  // unless `framing` says they end on a frame boundary outside any field block (the preface).
  enum class Framing { kUnknown, kWhole };
  bool send_bytes(const wire::Bytes& bytes, std::size_t chop, const std::string& note,
                  Framing framing = Framing::kUnknown);
  bool write_failed() const { return write_failed_; }

  // The next frame or event, waiting at most until `deadline`.
  Event next_event(transport::Deadline deadline);
  // When bytes from the target last arrived (the connection's start until then), and how many
  // octets of frames it has sent in all.
  transport::Clock::time_point last_read_at() const { return last_read_at_; }
  std::uint64_t bytes_received() const { return bytes_received_; }
  // Reads and records only what is already available, without waiting.
  void drain();

  // Frames the handshake read without deciding on them; the next expect step sees them first.
  void pass_over(Event event);
  std::vector<Event> take_passed_over();

  // The connection itself, for TLS-level steps (nullptr once closed).
  transport::Connection* connection() { return conn_.get(); }
  std::optional<transport::TlsInfo> tls_info() const { return conn_ ? conn_->tls_info() : std::nullopt; }
  // What the target has pushed and padded so far (push_checks.h).
  const PeerObservations& observations() const { return push_checks_.observed(); }

  bool peer_closed() const { return peer_closed_; }
  const std::string& violation() const { return violation_; }
  // Why the case was cut short by a PeerBudget bound (or the field block cap); empty if not.
  const std::string& limit_reason() const { return limit_reason_; }
  // Keeps the first bytes each side sends from now on and gives them to `sink` on close()
  // (corpus.h). nullptr: nothing is kept (the default).
  void record_corpus(CorpusSink* sink) { corpus_sink_ = sink; }
  // Closes our end; "us" unless the target closed first.
  void close();
  std::string closed_by() const { return closed_by_; }

 private:
  bool write(const wire::Bytes& bytes, std::size_t chop);
  std::optional<Event> decode_next();
  std::optional<Event> read_preface();
  std::optional<Event> read_http1_answer(wire::ByteView view);
  Event on_frame(const wire::DecodeResult& result, wire::ByteView raw);
  Event violation_event(std::string reason);
  Event limit_event(std::string reason);
  std::optional<Event> check_budget(const wire::FrameHeader& header);
  void note_close(const transport::IoResult& r);

  std::unique_ptr<transport::Connection> conn_;
  ConnectionState state_;
  Clock& clock_;
  transport::Clock::time_point last_read_at_{};
  Transcript transcript_;
  std::chrono::milliseconds step_timeout_;
  transport::Deadline case_deadline_;

  wire::FrameReader reader_;  // every byte the target sends is framed here
  bool preface_pending_ = false;
  bool peer_closed_ = false;
  bool frame_seen_ = false;  // a frame from the target was decoded
  bool write_failed_ = false;
  std::string close_detail_;
  std::string closed_by_;
  std::string violation_;
  std::deque<Event> passed_over_;
  PushChecks push_checks_;
  std::string limit_reason_;
  std::uint64_t frames_received_ = 0;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t automatic_replies_ = 0;
  std::array<std::uint64_t, 256> frames_by_type_{};
  CorpusSink* corpus_sink_ = nullptr;
  ConnectionBytes corpus_;
};

}  // namespace h2conform::engine
