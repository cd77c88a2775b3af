// The mutants: the reference server with one fault each, either switched on inside it (Faults)
// or applied around it to the bytes it reads and writes.
#include "tests/reference/mutants.h"

#include <memory>

namespace h2conform::reference {
namespace {

enum class OutputFault { kNone, kSwallowErrors, kWrongCodes, kGenericProtocol, kGenericInternal };

bool is_error_frame(const wire::Frame& f) {
  return std::holds_alternative<wire::GoawayFrame>(f.payload) ||
         std::holds_alternative<wire::RstStreamFrame>(f.payload);
}

// Another specific code than the one sent (a generic one would be allowed, RFC 9113 §5.4).
std::uint32_t other_code(std::uint32_t code) {
  const auto flow = static_cast<std::uint32_t>(ErrorCode::kFlowControlError);
  return code == flow ? static_cast<std::uint32_t>(ErrorCode::kFrameSizeError) : flow;
}

// The code an output fault puts in a GOAWAY or RST_STREAM; NO_ERROR stays (it is no error).
std::uint32_t rewritten_code(OutputFault fault, std::uint32_t code) {
  if (code == static_cast<std::uint32_t>(ErrorCode::kNoError)) return code;
  switch (fault) {
    case OutputFault::kGenericProtocol: return static_cast<std::uint32_t>(ErrorCode::kProtocolError);
    case OutputFault::kGenericInternal: return static_cast<std::uint32_t>(ErrorCode::kInternalError);
    default: return other_code(code);
  }
}

// Finds where the first frame after the client's first SETTINGS starts, ACKs excepted.
class FrameScanner {
 public:
  // Offset in `in` of the first rejected frame, or npos.
  std::size_t scan(ByteView in) {
    if (!header_.empty()) start_ = 0;  // the frame began in an earlier write: cut before this one
    std::size_t i = 0;
    while (i < in.size()) {
      if (skip_ > 0) {
        const std::size_t n = std::min(skip_, in.size() - i);
        skip_ -= n;
        i += n;
        continue;
      }
      if (header_.empty()) start_ = i;
      header_.push_back(in[i++]);
      if (header_.size() < wire::kFrameHeaderSize) continue;
      const wire::FrameHeader h = wire::decode_frame_header(header_);
      header_.clear();
      skip_ = h.length;
      const bool ack = h.type == static_cast<std::uint8_t>(wire::FrameType::kSettings) &&
                       (h.flags & wire::flags::kAck) != 0;
      if (frames_++ > 0 && !ack) return start_;
    }
    return std::string::npos;
  }

 private:
  std::size_t skip_ = 24;  // the client connection preface (RFC 9113 §3.4)
  Bytes header_;
  std::size_t start_ = 0;
  int frames_ = 0;
};

class MutantPeer {
 public:
  MutantPeer(const ServerConfig& config, Faults faults, OutputFault output, bool reject)
      : server_(config, faults), output_(output), reject_(reject) {
    reader_.set_options(wire::DecodeOptions{wire::kMaxAllowedFrameSize, false});
  }

  Bytes initial() { return filter(server_.initial_bytes(), nullptr); }

  void on_bytes(ByteView in, Bytes* reply, bool* closed) {
    Bytes raw;
    if (reject_ && !rejected_) {
      const std::size_t cut = scanner_.scan(in);
      if (cut != std::string::npos) {
        server_.on_bytes(in.first(cut), &raw, closed);
        reject(&raw);
        *closed = true;
        Bytes out = filter(raw, closed);
        reply->insert(reply->end(), out.begin(), out.end());
        return;
      }
    }
    if (rejected_) {
      *closed = true;
      return;
    }
    server_.on_bytes(in, &raw, closed);
    Bytes out = filter(raw, closed);
    reply->insert(reply->end(), out.begin(), out.end());
  }

 private:
  // The reject_everything fault: GOAWAY PROTOCOL_ERROR for a frame the reference never sees.
  void reject(Bytes* out) {
    rejected_ = true;
    if (server_.closed()) return;
    wire::Frame f;
    f.header.type = static_cast<std::uint8_t>(wire::FrameType::kGoaway);
    f.payload = wire::GoawayFrame{false, server_.highest_stream(),
                                  static_cast<std::uint32_t>(ErrorCode::kProtocolError), {}};
    wire::append_frame(*out, f);
  }

  Bytes filter(const Bytes& raw, bool* closed) {
    if (output_ == OutputFault::kNone) return raw;
    reader_.feed(raw);
    Bytes out;
    for (;;) {
      wire::DecodeResult r = reader_.next();
      if (r.status != wire::DecodeStatus::kComplete) break;
      if (silent_) continue;
      if (is_error_frame(r.frame) && output_ == OutputFault::kSwallowErrors) {
        silent_ = true;  // the error is dropped and the server goes quiet, never closing
        continue;
      }
      if (is_error_frame(r.frame)) {
        std::visit([this](auto& p) {
          if constexpr (requires { p.error_code; }) p.error_code = rewritten_code(output_, p.error_code);
        }, r.frame.payload);
      }
      wire::append_frame(out, r.frame);
    }
    if (silent_ && closed != nullptr) *closed = false;
    return out;
  }

  ReferenceServer server_;
  OutputFault output_;
  bool reject_;
  bool rejected_ = false;
  bool silent_ = false;
  FrameScanner scanner_;
  wire::FrameReader reader_;
};

transport::SyncPeer make_peer(const ServerConfig& config, Faults faults, OutputFault output,
                              bool reject) {
  auto peer = std::make_shared<MutantPeer>(config, faults, output, reject);
  transport::SyncPeer sync;
  sync.initial = peer->initial();
  sync.on_bytes = [peer](std::span<const std::uint8_t> bytes, Bytes* reply, bool* closed) {
    peer->on_bytes(bytes, reply, closed);
  };
  return sync;
}

Mutant mutant(std::string name, std::string description, const ServerConfig& config,
              Faults faults, OutputFault output = OutputFault::kNone, bool reject = false) {
  Mutant m;
  m.name = std::move(name);
  m.description = std::move(description);
  m.make = [config, faults, output, reject] { return make_peer(config, faults, output, reject); };
  return m;
}

Mutant setup(Mutant m) {
  m.setup = true;
  return m;
}

}  // namespace

transport::SyncPeer make_reference_peer(const ServerConfig& config) {
  return make_sync_peer(std::make_shared<ReferenceServer>(config));
}

// Push and padding mutants, only for configurations that push or pad (elsewhere they would
// behave exactly like the reference).
std::vector<Mutant> push_mutants(const ServerConfig& config) {
  auto with = [](PushFault fault) {
    Faults f;
    f.push = fault;
    return f;
  };
  Faults dirty;
  dirty.dirty_padding = true;
  std::vector<Mutant> out;
  if (config.padding != 0) out.push_back(mutant("dirty_padding", "pads with non-zero octets", config, dirty));
  if (config.push_path.empty()) return out;
  std::vector<Mutant> push = {
      mutant("push_odd_id", "promises odd (client) stream ids", config, with(PushFault::kOddPromisedId)),
      mutant("push_on_closed_stream", "promises on the request's stream after ending the response", config,
             with(PushFault::kAfterEndStream)),
      mutant("push_unsafe_method", "promises POST requests", config, with(PushFault::kUnsafeMethod)),
      mutant("push_data_first", "sends pushed DATA before the pushed HEADERS", config,
             with(PushFault::kDataBeforeHeaders)),
      mutant("push_ignores_limits",
             "pushes after the client's GOAWAY and beyond its SETTINGS_MAX_CONCURRENT_STREAMS", config,
             with(PushFault::kIgnoreLimits)),
  };
  out.insert(out.end(), push.begin(), push.end());
  return out;
}

std::vector<Mutant> all_mutants(const ServerConfig& config) {
  Faults lenient, ignore_settings, no_responses, no_ack, push, early;
  no_ack.no_settings_ack = true;
  push.advertise_push = true;
  early.early_window_update = true;
  lenient.lenient = true;
  ignore_settings.ignore_peer_settings = true;
  no_responses.no_responses = true;
  std::vector<Mutant> all = {
      mutant("swallow_errors", "drops its first GOAWAY or RST_STREAM, then never sends or closes",
             config, {}, OutputFault::kSwallowErrors),
      mutant("wrong_codes", "sends every GOAWAY and RST_STREAM with another specific error code", config, {},
             OutputFault::kWrongCodes),
      mutant("reject_everything",
             "answers the first frame after the client's SETTINGS with GOAWAY PROTOCOL_ERROR",
             config, {}, OutputFault::kNone, true),
      mutant("no_responses", "never answers a request", config, no_responses),
      mutant("lenient", "validates nothing: drops bad frames and answers every request", config,
             lenient),
      mutant("ignore_settings", "ACKs the client's SETTINGS without applying them", config,
             ignore_settings),
      setup(mutant("no_settings_ack", "never ACKs the client's SETTINGS", config, no_ack)),
      setup(mutant("push_enabled", "advertises SETTINGS_ENABLE_PUSH = 1", config, push)),
      setup(mutant("early_window_update", "sends a connection WINDOW_UPDATE before its SETTINGS",
                   config, early)),
  };
  // ---- The grading rules (docs/grading.md) ----
  auto held_to = [](Mutant m, Mutant::Guarantee g) {
    m.guarantee = g;
    return m;
  };
  Faults refuse400, refuse404, overrun, uppercase, echo_ping, answer_early;
  answer_early.answer_early = true;
  Faults bodiless;
  bodiless.bodiless = true;
  refuse400.refuse_status = 400;
  refuse404.refuse_status = 404;
  overrun.overrun_window = true;
  uppercase.uppercase_response_field = true;
  echo_ping.echo_ping_header = true;
  all.push_back(held_to(mutant("refuse_everything_400", "answers every request, malformed or not, with 400",
                               config, refuse400), Mutant::Guarantee::kRefusesEverything));
  all.push_back(held_to(mutant("refuse_everything_404", "answers every request, malformed or not, with 404",
                               config, refuse404), Mutant::Guarantee::kRefusesEverything));
  all.push_back(held_to(mutant("generic_protocol", "reports every error with PROTOCOL_ERROR", config, {},
                               OutputFault::kGenericProtocol), Mutant::Guarantee::kGenericCodes));
  all.push_back(held_to(mutant("generic_internal", "reports every error with INTERNAL_ERROR", config, {},
                               OutputFault::kGenericInternal), Mutant::Guarantee::kGenericCodes));
  all.push_back(held_to(mutant("answer_early", "answers each request when its HEADERS arrive, then resets it with "
                               "NO_ERROR and drops the rest (RFC 9113 §8.1, §8.1.1)", config, answer_early),
                        Mutant::Guarantee::kAnswersEarly));
  all.push_back(held_to(mutant("bodiless", "answers every request with 204 and no content", config, bodiless),
                        Mutant::Guarantee::kBodiless));
  all.push_back(mutant("overrun_window", "sends response bodies beyond the client's flow-control windows",
                       config, overrun));
  all.push_back(mutant("uppercase_response_field", "adds a field with an uppercase name to its responses",
                       config, uppercase));
  all.push_back(mutant("echo_ping_header", "answers a PING with an ACK that keeps the PING's reserved bit and unused flags",
                       config, echo_ping));
  Faults ping_acks;
  ping_acks.answer_ping_acks = true;
  Mutant answers_acks = mutant("answer_ping_acks", "answers a PING ACK with an ACK carrying the same data (RFC 9113 "
                               "§6.7: an endpoint MUST NOT respond to PING frames with ACK)", config, ping_acks);
  answers_acks.named_rule = "fail_on matched: PING ACK";  // rfc9113/6.7/ping-ack-not-answered's fail_on
  all.push_back(std::move(answers_acks));
  Faults goaway_grows;
  goaway_grows.goaway_grows = true;
  Mutant grows = mutant("goaway_grows", "reports each connection error with two GOAWAYs, the second raising "
                        "last_stream_id (RFC 9113 §6.8: endpoints MUST NOT increase it)", config, goaway_grows);
  grows.named_rule = "raised last_stream_id";  // the engine's check on every GOAWAY (peer_frames.cc)
  all.push_back(std::move(grows));
  // ---- end of the grading-rule mutants ----
  for (auto& m : push_mutants(config)) all.push_back(std::move(m));
  // ---- Field block size (RFC 9113 §10.5.1): a server that refuses a large block unread. ----
  Faults skip_large;
  skip_large.skip_large_blocks = true;
  all.push_back(mutant("skip_large_blocks", "refuses a field block above 8192 octets without decoding it",
                       config, skip_large));
  // ---- end of the field block size mutants ----
  // ---- Extended CONNECT (RFC 8441), only where it is advertised. ----
  if (config.enable_connect_protocol) {
    Faults connect_malformed;
    connect_malformed.extended_connect_malformed = true;
    all.push_back(mutant("extended_connect_malformed",
                         "advertises SETTINGS_ENABLE_CONNECT_PROTOCOL but resets extended CONNECT as malformed",
                         config, connect_malformed));
  }
  return all;
}

}  // namespace h2conform::reference
