// The connection model the interpreter keeps while it plays one side of a connection:
// settings both ways, flow-control windows both ways, both HPACK contexts, stream states.
//
// Contract: no I/O. on_sent() is told about every frame we wrote; on_received() about every
// frame the target sent, and returns the frames to send automatically (SETTINGS ACK, PING ACK,
// WINDOW_UPDATE), a completed field block, or a violation (the target broke a rule the engine
// cannot pass over: invalid HPACK, a broken field block sequence, invalid SETTINGS values, the
// reserved bit or a flag its frame type does not define set).
// Memory is bounded: field blocks, stream tables and stream history are capped.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/engine/case/expressions.h"
#include "runner/engine/connection/stream_state.h"
#include "runner/hpack/hpack.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

// The engine's role: the opposite of the case's `role`.
enum class Role { kClient, kServer };

// Everything that differs between playing the client and playing the server.
struct RoleTraits {
  std::uint32_t first_stream_id = 1;  // 1 (client requests) or 2 (server pushes), RFC 9113 §5.1.1
  bool writes_client_preface = true;  // the client sends the 24-octet preface, RFC 9113 §3.4
  bool reads_client_preface = false;  // the server reads it first
  // The stream ids the peer opens (RFC 9113 §5.1.1): even when it is a server (its pushes), odd
  // when it is a client (its requests).
  std::uint32_t peer_stream_parity = 0;
  // The peer is a server: it must not send SETTINGS_ENABLE_PUSH = 1 (RFC 9113 §6.5.2).
  bool peer_may_enable_push = false;
  // The peer's field blocks are judged as responses, their trailers and promised requests
  // (message_check.h), and its pushes and padding by push_checks.h. Off while we play the
  // server: a client's blocks are judged as requests and request trailers instead.
  bool judges_server_messages = true;
  // The peer is a client: once its requests are over it may leave (RFC 9113 §9.1: clients
  // close connections when "no further communication with a server is necessary"), so a
  // GOAWAY with NO_ERROR then is no answer to the frame under test.
  bool peer_leaves_when_done = false;

  bool peer_may_open(std::uint32_t stream_id) const {
    return stream_id != 0 && stream_id % 2 == peer_stream_parity;
  }
};
RoleTraits traits_for(Role role);
Role our_role_for_target(const std::string& target_role);  // "server" -> kClient

inline constexpr std::int64_t kDefaultWindow = 65535;  // RFC 9113 §6.9.2
inline constexpr std::size_t kMaxFieldBlockBytes = 1 << 20;
inline constexpr std::size_t kMaxStreamHistory = 100000;

struct StreamInfo {
  StreamState state = StreamState::kIdle;
  std::int64_t send_window = 0;  // what we may still send
  std::int64_t recv_window = 0;  // what the target may still send
  std::optional<int> final_status;           // first final (>= 200) :status from the target
  int informational = 0;                     // 1xx responses seen
  bool peer_end_stream = false;              // END_STREAM from the target
  std::optional<std::uint32_t> peer_reset;   // RST_STREAM code from the target
  bool we_reset = false;                     // we sent RST_STREAM on it
  // The request we sent is one field block carrying END_STREAM, and we sent nothing else on
  // the stream (WINDOW_UPDATE and PRIORITY aside): the target had all of it before it could
  // answer, so a response that ends the stream closes it with the request fully read.
  bool request_in_one_block = false;
  std::uint64_t data_received = 0;
  std::string request_method;                // the :method we sent, when known
  // The request we sent differs from the run's default one in more than its method (a field
  // set, added or removed, a pseudo-header changed, fields or HPACK written by the case, or
  // trailers), so how the target answers it says something about how it treats that
  // difference: a refusal is then judged against a well-formed control request.
  bool request_varies = false;
  std::optional<std::uint64_t> content_length;  // from the target's final response
  // The first RFC 9113 §8 problem in the target's field blocks on this stream (responses,
  // trailers, promised requests, content-length; a client target's request and its
  // trailers); see response_check.h and message_check.h.
  std::string field_problem;
  bool peer_request_seen = false;  // a client target's request block arrived on this stream
  bool final_response_sent = false;  // we, serving a client target, sent a final response's block
  // Credit for the target's DATA given since the last frame we sent on the stream (WINDOW_UPDATE
  // and PRIORITY aside): what we have granted since (WINDOW_UPDATE, SETTINGS_INITIAL_WINDOW_SIZE).
  // When the target has used some of it (granted_since_our_last_frame > recv_window), some of
  // its DATA went out after it had read that frame: frames are processed in order, and the credit
  // came after it.
  bool request_ended = false;  // we sent END_STREAM on it
  std::int64_t granted_since_our_last_frame = 0;
  bool window_shrunk = false;  // our SETTINGS lowered it after the request ended: no inference
  bool answered_after_our_last_frame() const {
    return request_ended && !window_shrunk && granted_since_our_last_frame > recv_window;
  }
};

struct GoawayInfo {
  std::uint32_t last_stream_id = 0;
  std::uint32_t error_code = 0;
};

// A field block from the target, complete (HEADERS/PUSH_PROMISE + CONTINUATION).
struct FieldBlock {
  std::uint32_t stream_id = 0;
  std::uint8_t type = 0;  // HEADERS or PUSH_PROMISE
  std::uint32_t promised_stream = 0;
  bool end_stream = false;
  hpack::HeaderList fields;
};

// The :status of a response field block, if it has a well-formed one.
std::optional<int> status_of(const hpack::HeaderList& fields);

struct PeerFrameEffects {
  std::vector<wire::Frame> replies;
  std::optional<FieldBlock> block;
  std::string violation;  // non-empty: the case fails with this reason
  // The violation is the field block cap (kMaxFieldBlockBytes), a bound of ours, not a rule of
  // the RFC: the case ends as an error.
  bool field_block_too_large = false;
};

class ConnectionState final : public ExpressionScope {
 public:
  explicit ConnectionState(Role our_role);

  Role role() const { return role_; }
  const RoleTraits& traits() const { return traits_; }
  void set_auto_settings_ack(bool on) { auto_settings_ack_ = on; }
  void set_auto_window_update(bool on) { auto_window_update_ = on; }

  // A frame we wrote; `flags` are the flags that went on the wire.
  void on_sent(const wire::Frame& frame, std::uint8_t flags);
  // A frame we meant to send but could not write: a SETTINGS still counts as sent, so that
  // settings_ack never takes an earlier ACK for it.
  void on_send_failed(const wire::Frame& frame, std::uint8_t flags);
  // A frame the target sent.
  PeerFrameEffects on_received(const wire::Frame& frame);

  bool peer_settings_received() const { return peer_settings_received_; }
  bool peer_setting_present(std::uint16_t id) const { return peer_settings_.count(id) != 0; }
  bool all_settings_acked() const { return pending_settings_.empty(); }
  // False while a field block we sent is open (no END_HEADERS yet) or after raw bytes, whose
  // framing we do not follow: a PING then would be a violation of its own (RFC 9113 §6.10).
  bool probe_safe() const { return probe_safe_; }
  // Raw bytes may carry WINDOW_UPDATEs or SETTINGS we do not follow: the target's use of our
  // flow-control windows is no longer judged.
  void on_raw_sent() {
    probe_safe_ = false;
    windows_exact_ = false;
  }
  // Any raw bytes, whole frames or not: which stream their last frame was on is not followed.
  void on_bytes_sent() { last_frame_stream_ = 0; }
  wire::DecodeOptions decode_options() const;
  const StreamInfo* stream(std::uint32_t id) const;
  // The target opened at least one stream and every stream it opened is closed.
  bool peer_streams_done() const;
  // The script is about to send a frame or raw bytes (not the engine's own probes and
  // replies): remembers peer_streams_done() as it is now.
  void note_script_send() { done_before_last_sent_ = peer_streams_done(); }
  // peer_streams_done() as it was before the script's last frame: the target's requests were
  // over before that frame, which did not end one of them itself.
  bool peer_streams_done_before_last_sent() const { return done_before_last_sent_; }
  const std::optional<GoawayInfo>& goaway() const { return goaway_; }
  // Our SETTINGS frames (not ACKs) sent so far, and the ACKs of them received (RFC 9113 §6.5.3).
  std::uint64_t settings_sent() const { return settings_sent_; }
  std::uint64_t settings_acked() const { return settings_acked_; }
  // A HEADERS we sent: the request on a new stream (`varies`: see StreamInfo::request_varies),
  // or trailers, which make a request vary.
  void note_request(std::uint32_t stream_id, std::string method, bool varies);
  // A HEADERS we sent serving a client target carried a final response's field block.
  void note_final_response(std::uint32_t stream_id) { stream_entry(stream_id).final_response_sent = true; }
  // Our final response on the stream is still open: its block went out without END_STREAM,
  // the client's request has ended, and neither side reset the stream.
  bool response_left_open(std::uint32_t stream_id) const;
  // The next stream id for a request of the engine's own (a control request): it is taken
  // like $next_stream, but not counted by $stream.N, so the script's numbering stays.
  std::uint32_t take_engine_stream();
  hpack::Encoder& encoder() { return encoder_; }

  // ExpressionScope.
  std::uint32_t take_next_stream() override;
  std::uint32_t last_stream() const override { return last_stream_; }
  // The stream of the last frame we sent (0 for a connection-level frame, raw bytes, or none yet).
  std::uint32_t last_frame_stream() const { return last_frame_stream_; }
  std::optional<std::uint32_t> nth_stream(std::uint64_t n) const override;
  std::uint32_t peer_stream() const override { return peer_stream_; }
  std::optional<std::uint32_t> peer_setting(std::uint16_t id) const override;
  std::int64_t conn_window() const override { return conn_send_window_; }
  std::int64_t stream_window() const override;
  std::uint32_t max_header_length() const override { return max_header_length_; }
  void set_max_header_length(std::uint32_t n) { max_header_length_ = n; }
  std::string_view scheme() const override { return scheme_; }
  void set_scheme(std::string scheme) { scheme_ = std::move(scheme); }

 private:
  struct PendingBlock {
    std::uint32_t stream_id = 0;
    std::uint8_t type = 0;
    std::uint32_t promised_stream = 0;
    bool end_stream = false;
    hpack::Bytes fragments;
  };
  friend struct PeerFrameVisitor;

  StreamInfo& stream_entry(std::uint32_t id);
  void apply_our_settings(const std::vector<wire::Setting>& settings);
  std::string apply_peer_settings(const std::vector<wire::Setting>& settings);
  void apply_block(const FieldBlock& block);
  void check_block(StreamInfo& s, const FieldBlock& block);
  void check_request_block(StreamInfo& s, const FieldBlock& block);
  void on_peer_end_stream(StreamInfo& s);
  std::string finish_block(PeerFrameEffects* effects);
  void replenish(std::uint32_t stream_id, PeerFrameEffects* effects);

  Role role_;
  RoleTraits traits_;
  bool auto_settings_ack_ = true;
  bool auto_window_update_ = true;

  std::map<std::uint16_t, std::uint32_t> peer_settings_;
  bool peer_settings_received_ = false;
  std::deque<std::vector<wire::Setting>> pending_settings_;  // ours, not yet acknowledged
  std::uint64_t settings_sent_ = 0;
  bool probe_safe_ = true;
  bool windows_exact_ = true;  // our receive windows are known exactly (no raw bytes sent)
  std::uint64_t settings_acked_ = 0;
  std::uint32_t our_initial_window_ = kDefaultWindow;
  std::uint32_t our_max_frame_size_ = wire::kDefaultMaxFrameSize;

  std::int64_t conn_send_window_ = kDefaultWindow;
  std::int64_t conn_recv_window_ = kDefaultWindow;
  std::map<std::uint32_t, StreamInfo> streams_;

  std::uint32_t max_header_length_ = 4000;
  std::string scheme_ = "https";  // Target's default
  std::uint32_t next_stream_ = 1;
  std::uint32_t last_stream_ = 0;
  std::uint32_t last_frame_stream_ = 0;
  bool done_before_last_sent_ = false;
  std::uint32_t peer_stream_ = 0;
  std::vector<std::uint32_t> stream_history_;

  std::optional<PendingBlock> pending_block_;
  std::optional<GoawayInfo> goaway_;
  hpack::Encoder encoder_;
  hpack::Decoder decoder_;
};

}  // namespace h2conform::engine
