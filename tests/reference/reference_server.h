// A strict in-memory HTTP/2 server (RFC 9113, RFC 7541, RFC 9218, RFC 8441) used as the known-good
// peer that every server-role case must pass against, and as the base the mutants distort.
//
// Contract:
// - Synchronous and single-threaded: on_bytes() consumes client bytes and appends its whole reply
//   at once. No clocks, no threads, no I/O.
// - Bytes from the client never crash it or grow memory without bound: field blocks, closed-stream
//   records and buffered priority signals are capped.
// - Every connection error sends GOAWAY (code, last stream id) and closes; every stream error sends
//   RST_STREAM; a malformed request (RFC 9113 §8.1.1) gets RST_STREAM PROTOCOL_ERROR.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "runner/hpack/hpack.h"
#include "runner/transport/transport.h"
#include "runner/wire/frame.h"

namespace h2conform::reference {

using wire::Bytes;
using wire::ByteView;
using wire::ErrorCode;

// What the server advertises and serves.
struct ServerConfig {
  std::uint32_t max_concurrent_streams = 100;
  std::uint32_t initial_window_size = 65535;
  std::uint32_t max_frame_size = 16384;
  std::uint32_t header_table_size = 4096;
  bool enable_connect_protocol = false;  // RFC 8441 §3, advertised only when true
  bool no_rfc7540_priorities = false;    // RFC 9218 §2.1, advertised only when true
  std::string body = "hello from the reference server\n";
  std::size_t max_field_block = 256 * 1024;  // HEADERS + CONTINUATION bytes before ENHANCE_YOUR_CALM
  // Server push (RFC 9113 §8.4): non-empty, every complete GET or HEAD for another path
  // promises a GET for this path first, when the client allows push (reference_push.cc).
  std::string push_path;
  std::string push_body = "pushed by the reference server\n";
  // Non-zero: DATA, HEADERS and PUSH_PROMISE carry this many padding octets (RFC 9113 §6.1).
  std::uint8_t padding = 0;
};

// How a push mutant gets server push wrong (the reference: kNone).
enum class PushFault {
  kNone,
  kOddPromisedId,      // promises odd (client) stream ids (RFC 9113 §5.1.1, §6.6)
  kAfterEndStream,     // promises on the request's stream after ending the response (§6.6)
  kUnsafeMethod,       // promises POST requests (§8.4.1)
  kDataBeforeHeaders,  // sends pushed DATA while the stream is reserved (§5.1)
  kIgnoreLimits,       // pushes after the client's GOAWAY and beyond its MAX_CONCURRENT_STREAMS
};

// Ways to be wrong, switched on by mutants (mutants.h). The reference runs with all of them off.
struct Faults {
  bool lenient = false;               // no validation: drop bad frames, answer every request
  bool ignore_peer_settings = false;  // ACK the client's SETTINGS without applying them
  bool no_settings_ack = false;       // never ACK the client's SETTINGS
  bool no_responses = false;          // never answer a request (the stream stays open)
  bool advertise_push = false;        // a server SETTINGS with ENABLE_PUSH = 1
  bool early_window_update = false;   // a connection WINDOW_UPDATE before our SETTINGS
  PushFault push = PushFault::kNone;  // with ServerConfig::push_path only
  bool dirty_padding = false;         // padding octets that are not zero (with ServerConfig::padding)
  bool skip_large_blocks = false;     // refuse a field block above 8192 octets without decoding it
  int refuse_status = 0;              // answer every request, malformed or not, with this status
  bool overrun_window = false;        // send response bodies ignoring the client's flow-control windows
  bool uppercase_response_field = false;  // add "X-Reference: 1" (an uppercase name) to responses
  bool echo_ping_header = false;      // a PING's ACK keeps the PING's reserved bit and unused flags
  bool answer_ping_acks = false;      // answer a PING ACK with an ACK of its own (RFC 9113 §6.7 forbids it)
  // Answer a request as soon as its HEADERS arrive, before its body (RFC 9113 §8.1.1 allows it),
  // then reset the stream with NO_ERROR (§8.1: the rest is not needed) and drop what comes on it.
  bool answer_early = false;
  bool bodiless = false;  // answer every request with 204 and no content (RFC 9110 §15.3.5)
  // With ServerConfig::enable_connect_protocol: advertise extended CONNECT, yet judge requests
  // without RFC 8441, so :protocol makes one malformed (RST_STREAM PROTOCOL_ERROR).
  bool extended_connect_malformed = false;
  // Report each connection error with two GOAWAYs, the second naming a higher last stream id
  // than the first (RFC 9113 §6.8: "Endpoints MUST NOT increase the value they send in the last
  // stream identifier").
  bool goaway_grows = false;
};

// A peer's violation found while applying a frame: the error code and why.
struct Violation {
  ErrorCode code = ErrorCode::kProtocolError;
  std::string reason;
};

enum class StreamState { kOpen, kHalfClosedRemote, kHalfClosedLocal };
std::string to_string(StreamState state);

// How a stream that is no longer active ended (decides what later frames on it mean).
enum class CloseCause { kFinished, kResetByUs, kResetByPeer };

struct Stream {
  std::uint32_t id = 0;
  StreamState state = StreamState::kOpen;
  std::int64_t send_window = 0;  // what we may still send (RFC 9113 §6.9.1)
  std::int64_t recv_window = 0;  // what the client may still send
  std::optional<std::uint64_t> content_length;
  std::uint64_t data_received = 0;
  bool head = false;     // HEAD request: no response body
  bool tunnel = false;   // accepted CONNECT (RFC 9113 §8.5, RFC 8441): DATA is echoed
  bool response_headers_sent = false;
  Bytes pending_body;    // response octets waiting for flow-control credit
  bool end_after_body = false;
  std::string scheme, authority, path;  // of the request, for a push (RFC 9113 §8.4.1)
};

// A stream we promised (RFC 9113 §8.4): reserved (local) until its HEADERS, then half-closed
// (remote) until its END_STREAM.
struct PushedStream {
  std::uint32_t associated = 0;
  bool opened = false;
  bool done = false;
  std::int64_t send_window = 0;
  Bytes pending;
};

class ReferenceServer {
 public:
  explicit ReferenceServer(ServerConfig config = {}, Faults faults = {});

  // Our SETTINGS, sent as soon as the connection exists (RFC 9113 §3.4).
  Bytes initial_bytes() const;
  // Consumes client bytes; appends every reply frame to *reply; sets *closed once we closed.
  void on_bytes(ByteView in, Bytes* reply, bool* closed);

  bool closed() const { return closed_; }
  std::size_t active_streams() const { return streams_.size(); }
  std::uint32_t highest_stream() const { return highest_stream_; }

 private:
  struct FieldBlock {
    std::uint32_t stream = 0;
    bool end_stream = false;
    std::optional<wire::PriorityFields> priority;
    Bytes fragment;
  };

  // reference_server.cc: preface, frame loop, errors, output.
  void consume_preface(ByteView* in);
  void read_frames();
  bool breaks_field_block(const wire::FrameHeader& h);
  void on_decode_error(const wire::DecodeResult& r);
  void dispatch(const wire::Frame& frame);
  // Each returns true when the caller must stop (false only for the lenient fault).
  bool fail_connection(ErrorCode code, const std::string& reason);
  bool fail_stream(std::uint32_t stream, ErrorCode code);
  bool malformed(std::uint32_t stream);
  void send(wire::Frame frame);
  void send_frame(wire::Payload payload, std::uint32_t stream, std::uint8_t flags = 0);
  bool is_idle(std::uint32_t stream) const;
  void close_stream(std::uint32_t stream, CloseCause cause);
  void remember_closed(std::uint32_t stream, CloseCause cause);

  // reference_frames.cc: frames that do not carry request content.
  void on_frame(const wire::FrameHeader& h, const wire::PriorityFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::RstStreamFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::SettingsFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::PushPromiseFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::PingFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::GoawayFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::WindowUpdateFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::PriorityUpdateFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::UnknownFrame& f);
  std::optional<Violation> apply_setting(const wire::Setting& s, bool first);
  std::optional<Violation> apply_initial_window(std::uint32_t value);
  void set_peer_header_table_size(std::uint32_t value);

  // reference_streams.cc: DATA, field blocks, stream lifecycle, flow control, responses.
  void on_frame(const wire::FrameHeader& h, const wire::DataFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::HeadersFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::ContinuationFrame& f);
  void replenish(Stream* s);
  void finish_field_block();
  void on_request_headers(const FieldBlock& block, const hpack::HeaderList& fields);
  void on_trailers(Stream& s, const FieldBlock& block, const hpack::HeaderList& fields);
  void on_closed_stream_frame(std::uint32_t stream, bool is_headers);
  void on_request_complete(Stream& s);
  bool reject_request(std::uint32_t id, bool client_ended, bool bad_request);
  void send_response_headers(Stream& s, std::optional<std::size_t> length, bool end_stream);
  void send_field_block(std::uint32_t id, const hpack::HeaderList& fields, bool end_stream);
  void flush_stream(Stream& s);
  void flush_all();
  void finish_local(Stream& s);
  std::size_t padding_overhead() const;

  // reference_push.cc: server push (RFC 9113 §8.4) and the client's frames on pushed streams.
  void note_request_target(Stream& s, const hpack::HeaderList& fields);
  void push_for(const Stream& s);
  void open_pushed();
  void flush_pushed();
  bool on_pushed_stream_frame(const wire::Frame& frame);
  bool may_push() const;
  void pad(wire::Frame& frame) const;

  ServerConfig config_;
  Faults faults_;
  std::size_t preface_seen_ = 0;
  bool got_first_settings_ = false;
  bool closed_ = false;
  Bytes out_;
  wire::FrameReader reader_;
  hpack::Decoder decoder_;
  hpack::Encoder encoder_;
  std::optional<FieldBlock> block_;

  // Client settings (RFC 9113 §6.5.2) and what we track of them.
  std::uint32_t peer_initial_window_ = 65535;
  std::uint32_t peer_max_frame_size_ = wire::kDefaultMaxFrameSize;
  std::uint32_t peer_header_table_size_ = hpack::kDefaultTableSize;
  std::uint32_t peer_no_rfc7540_ = 0;
  int peer_settings_frames_ = 0;
  int unacked_settings_ = 1;
  bool peer_goaway_ = false;
  bool peer_enable_push_ = true;                      // RFC 9113 §6.5.2 default
  std::optional<std::uint32_t> peer_max_concurrent_;  // limits the pushed streams we open
  std::uint32_t next_push_id_ = 2;
  std::map<std::uint32_t, PushedStream> pushed_;

  std::int64_t conn_send_window_ = 65535;
  std::int64_t conn_recv_window_ = 65535;
  std::uint32_t highest_stream_ = 0;
  std::uint32_t last_processed_ = 0;  // GOAWAY's last stream id
  std::map<std::uint32_t, Stream> streams_;
  std::map<std::uint32_t, CloseCause> closed_streams_;
  std::set<std::uint32_t> idle_prioritized_;  // RFC 9218 §7.1
};

// A SyncPeer (runner/transport) driving one server.
transport::SyncPeer make_sync_peer(std::shared_ptr<ReferenceServer> server);

}  // namespace h2conform::reference
