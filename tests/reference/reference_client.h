// A strict HTTP/2 client (RFC 9113, RFC 7541, RFC 9218) used as the known-good client that every
// client-role case must pass against, and as the base the client mutants distort.
//
// Contract:
// - ReferenceClient is the protocol alone: synchronous, no clocks, threads or I/O. start() gives
//   the bytes it sends first (preface, SETTINGS, one GET with END_STREAM on stream 1);
//   on_bytes() consumes server bytes and appends every reply frame at once.
// - It judges the server the way a conforming client must: frame syntax through wire::FrameReader
//   (with its advertised MAX_FRAME_SIZE), SETTINGS values, HPACK (COMPRESSION_ERROR), field block
//   contiguity, stream states, flow control both ways, pushes, and the response through the
//   engine's message validator (runner/engine/message/message_check.h).
// - A connection error sends GOAWAY (code, reason) and closes; a stream error sends RST_STREAM; a
//   malformed response gets RST_STREAM PROTOCOL_ERROR (RFC 9113 §8.1.1).
// - After its request ended it stays connected (answering PINGs and SETTINGS, still judging every
//   frame) until the server closes; the launcher bounds that wait.
// - exit_status() is 0 only when stream 1 got a complete, well-formed response and no connection
//   error happened; 1 otherwise. Bytes from the server never crash it or grow memory without bound.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "runner/engine/connection/client_launcher.h"
#include "runner/hpack/hpack.h"
#include "runner/wire/frame.h"

namespace h2conform::reference {

// What the client advertises and how long it may run.
struct ClientConfig {
  std::uint32_t initial_window_size = 65535;
  std::uint32_t max_frame_size = 16384;
  std::uint32_t header_table_size = 4096;
  bool enable_push = false;  // SETTINGS_ENABLE_PUSH (always sent, 0 by default)
  // Implements RFC 9218: sends SETTINGS_NO_RFC7540_PRIORITIES = 1 and treats PRIORITY_UPDATE as
  // a connection error (RFC 9218 §7.1). Off: type 0x10 is an unknown frame, ignored (RFC 9113 §5.5).
  bool rfc9218 = false;
  std::chrono::milliseconds run_limit{10000};  // connect to exit, whatever the server does
};

// How a client mutant breaks one rule (client_mutants.h). The reference runs with all of them off.
enum class CodeFault { kNone, kWrongCodes, kGenericProtocol };
struct ClientFaults {
  bool accept_malformed_response = false;  // no RFC 9113 §8 check of responses and pushes
  bool ignore_settings_errors = false;     // invalid SETTINGS values are applied or dropped
  bool no_flow_control_check = false;      // DATA beyond windows and window overflows accepted
  bool accept_push_when_disabled = false;  // PUSH_PROMISE after ENABLE_PUSH 0 is passed over
  bool ignore_hpack_errors = false;        // a field block that does not decode is dropped
  bool ignore_stream_states = false;       // frames on idle or closed streams are passed over
  bool ignore_frame_errors = false;        // frames the decoder refuses are passed over
  bool no_window_update = false;           // never gives flow-control credit back
  bool no_preface_settings = false;        // the preface is not followed by SETTINGS
  bool no_settings_ack = false;            // never ACKs the server's SETTINGS
  bool uppercase_request_field = false;    // the request carries "X-Reference: 1" (RFC 9113 §8.2.1)
  bool exit_zero_always = false;           // exits 0 whatever happened
  // Refuses (PROTOCOL_ERROR) what a client must accept: unknown frame types, flags and settings,
  // the reserved bit, padding, PRIORITY, CONTINUATION (RFC 9113 §4.1, §5.5, §6.10).
  bool too_strict = false;
  bool forget_dynamic_table = false;       // keeps no HPACK dynamic table entry from one block to the next
  bool refuse_setting_bounds = false;      // refuses settings at the ends of their ranges, and any ENABLE_PUSH
  bool goaway_aborts = false;              // gives up its request on any GOAWAY, whatever its last_stream_id
  bool ack_ping_acks = false;              // answers a PING ACK with another ACK
  bool interim_as_final = false;           // takes a 1xx response for the final one
  bool no_trailers = false;                // a HEADERS after the final response is malformed
  bool echo_ping_header = false;           // a PING's ACK keeps the PING's reserved bit and unused flags
  CodeFault codes = CodeFault::kNone;      // how GOAWAY and RST_STREAM codes are rewritten
};

// What the client requests (the values of a ClientEndpoint).
struct ClientRequest {
  std::string scheme = "http";
  std::string authority = "127.0.0.1";
  std::string path = "/";
};

class ReferenceClient {
 public:
  ReferenceClient(ClientConfig config, ClientFaults faults, ClientRequest request);

  wire::Bytes start();
  void on_bytes(wire::ByteView in, wire::Bytes* out);
  // The server closed the transport (or the run limit passed): the exchange is over.
  void on_end(const std::string& why);
  // A goodbye when we close without an error: GOAWAY NO_ERROR.
  wire::Bytes goodbye();

  bool closed() const { return closed_; }              // we ended the connection (an error)
  bool request_ended() const { return request_ended_; }
  int exit_status() const;
  const std::string& outcome() const { return outcome_; }  // why it ended, in words

 private:
  struct FieldBlock {
    std::uint32_t stream = 0;
    bool end_stream = false;
    std::optional<std::uint32_t> promised;  // a PUSH_PROMISE's block
    bool drop = false;                       // decoded for HPACK's sake, then passed over
    wire::Bytes fragment;
  };
  enum class Phase { kReserved, kHeaders, kBody };
  struct Stream {
    Phase phase = Phase::kHeaders;
    int status = 0;
    std::optional<std::uint64_t> content_length;
    std::uint64_t data_received = 0;
    std::int64_t recv_window = 0;  // what the server may still send us
    std::int64_t send_window = 0;  // what we could still send (we send no DATA; §6.9.1 overflow)
  };
  enum class Closed { kFinished, kResetByUs, kResetByPeer };

  // reference_client.cc: the connection, errors, output, frames without message content.
  void read_frames();
  bool breaks_field_block(const wire::FrameHeader& h);
  void on_decode_error(const wire::DecodeResult& r);
  bool refuses_strictly(const wire::FrameHeader& h);
  void dispatch(const wire::Frame& frame);
  void fail_connection(wire::ErrorCode code, const std::string& reason);
  void fail_stream(std::uint32_t stream, wire::ErrorCode code, const std::string& reason);
  void send(wire::Frame frame);
  bool is_idle(std::uint32_t stream) const;
  void close_stream(std::uint32_t stream, Closed how);
  void end_request(bool ok, const std::string& why);
  void on_frame(const wire::FrameHeader& h, const wire::PriorityFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::RstStreamFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::SettingsFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::PingFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::GoawayFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::WindowUpdateFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::PriorityUpdateFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::UnknownFrame& f);
  std::optional<std::string> apply_setting(const wire::Setting& s, wire::ErrorCode* code);

  // reference_client_streams.cc: field blocks, pushes, DATA, responses, flow control.
  void on_frame(const wire::FrameHeader& h, const wire::HeadersFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::ContinuationFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::PushPromiseFrame& f);
  void on_frame(const wire::FrameHeader& h, const wire::DataFrame& f);
  bool frame_on_closed_stream(const wire::FrameHeader& h);
  void finish_field_block();
  void on_response_fields(std::uint32_t id, Stream& s, const hpack::HeaderList& fields, bool end_stream);
  void on_promise(std::uint32_t associated, std::uint32_t promised, const hpack::HeaderList& fields);
  void complete(std::uint32_t id, Stream& s);
  void malformed(std::uint32_t id, const std::string& why);
  void give_back(std::uint32_t id, Stream* s);

  ClientConfig config_;
  ClientFaults faults_;
  ClientRequest request_;
  wire::FrameReader reader_;
  hpack::Decoder decoder_;
  hpack::Encoder encoder_;
  wire::Bytes out_;
  std::optional<FieldBlock> block_;
  bool got_server_settings_ = false;
  bool closed_ = false;
  bool request_ended_ = false;
  bool request_ok_ = false;
  std::string outcome_;
  std::uint32_t peer_initial_window_ = 65535;
  std::int64_t conn_recv_window_ = 65535;
  std::int64_t conn_send_window_ = 65535;
  std::uint32_t last_promised_ = 0;
  std::map<std::uint32_t, Stream> streams_;
  std::map<std::uint32_t, Closed> closed_streams_;
};

// A ClientLauncher whose client is a ReferenceClient on its own thread, over cleartext TCP with
// prior knowledge (RFC 9113 §3.3); an https endpoint is refused (launch() fails). finish() stops
// the thread by its deadline and reports exit_status (0 or 1), with the outcome in stderr_tail.
std::unique_ptr<engine::ClientLauncher> make_reference_launcher(ClientConfig config = {},
                                                                ClientFaults faults = {});

}  // namespace h2conform::reference
