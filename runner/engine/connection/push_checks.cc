#include "runner/engine/connection/push_checks.h"

#include <algorithm>

#include "runner/wire/frame_types.h"

namespace h2conform::engine {
namespace {

using wire::FrameType;

bool is(const wire::FrameHeader& h, FrameType t) { return h.type == static_cast<std::uint8_t>(t); }
bool has_flag(const wire::FrameHeader& h, std::uint8_t f) { return (h.flags & f) != 0; }
std::string stream_text(std::uint32_t id) { return "stream " + std::to_string(id); }

}  // namespace

void PushChecks::on_sent(const wire::Frame& frame) {
  const wire::FrameHeader& h = frame.header;
  if (const auto* s = std::get_if<wire::SettingsFrame>(&frame.payload)) {
    for (const auto& setting : s->settings) {
      if (setting.id == static_cast<std::uint16_t>(wire::SettingId::kMaxConcurrentStreams))
        our_max_concurrent_ = setting.value;
    }
  } else if (is(h, FrameType::kGoaway)) {
    if (!first_stream_after_goaway_) first_stream_after_goaway_ = highest_client_stream_ + 1;
  } else if (is(h, FrameType::kHeaders) && h.stream_id % 2 == 1 && h.stream_id > highest_client_stream_) {
    highest_client_stream_ = h.stream_id;
  }
}

std::string PushChecks::on_received(const wire::Frame& frame, const ConnectionState& state) {
  const wire::FrameHeader& h = frame.header;
  if (auto bad = check_padding(frame); !bad.empty()) return bad;
  if (const auto* p = std::get_if<wire::PushPromiseFrame>(&frame.payload)) {
    return check_push_promise(h, p->promised_stream_id, state);
  }
  if (h.stream_id != 0 && h.stream_id % 2 == 0 && pushed_.count(h.stream_id) != 0) return check_pushed_stream(h);
  return {};
}

namespace {

// The padding the decoder took from a PADDED frame (it has checked that it fits).
const wire::Padding* padding_of(const wire::Frame& frame) {
  const std::optional<wire::Padding>* padding = nullptr;
  if (const auto* d = std::get_if<wire::DataFrame>(&frame.payload)) padding = &d->padding;
  if (const auto* h = std::get_if<wire::HeadersFrame>(&frame.payload)) padding = &h->padding;
  if (const auto* p = std::get_if<wire::PushPromiseFrame>(&frame.payload)) padding = &p->padding;
  return padding != nullptr && padding->has_value() ? &**padding : nullptr;
}

}  // namespace

std::string PushChecks::check_padding(const wire::Frame& frame) {
  const wire::Padding* padding = padding_of(frame);
  if (padding == nullptr) return {};
  const wire::FrameHeader& h = frame.header;
  if (is(h, FrameType::kData)) ++observed_.padded_data;
  else if (is(h, FrameType::kHeaders)) ++observed_.padded_headers;
  else ++observed_.padded_push_promises;
  const bool zero = std::all_of(padding->padding.begin(), padding->padding.end(), [](std::uint8_t b) { return b == 0; });
  if (zero) return {};
  // The section that defines the padded type (RFC 9113 §6.1, §6.2, §6.6).
  const std::string section(wire::frame_type_info(static_cast<FrameType>(wire::payload_type(frame))).section);
  return "the target's " + wire::frame_type_name(h.type) + " on " + stream_text(h.stream_id) +
         " has a non-zero padding octet (" + section + ": padding octets MUST be zero)";
}

std::string PushChecks::check_push_promise(const wire::FrameHeader& h, std::uint32_t promised,
                                           const ConnectionState& state) {
  ++observed_.push_promises;
  const std::uint32_t s = h.stream_id;
  const StreamInfo* assoc = state.stream(s);
  const StreamState st = assoc != nullptr ? assoc->state : StreamState::kIdle;
  // A push the target sent before our RST_STREAM reached it is in flight, not a violation
  // (RFC 9113 §5.1, "closed": frames may arrive for a while after RST_STREAM is sent).
  const bool in_flight = assoc != nullptr && assoc->we_reset && st == StreamState::kClosed;
  if (s % 2 == 0 || (!in_flight && st != StreamState::kOpen && st != StreamState::kHalfClosedLocal)) {
    return "the target sent PUSH_PROMISE on " + stream_text(s) + ", which is " + to_string(st) +
           " for us; a push must be on a client stream that is open or half-closed (remote) for the server "
           "(RFC 9113 §6.6, §8.4.1)";
  }
  if (first_stream_after_goaway_ && s >= *first_stream_after_goaway_) {
    return "the target pushed (promised " + stream_text(promised) + ") for a request we sent after our GOAWAY "
           "(RFC 9113 §6.8: a receiver of GOAWAY opens no new streams)";
  }
  if (!state.traits().peer_may_open(promised) || promised <= highest_promised_) {
    return "the target promised " + stream_text(promised) + (highest_promised_ != 0 ? " after promising " + stream_text(highest_promised_) : std::string()) +
           "; a promised stream must be a new even stream id above every earlier one (RFC 9113 §6.6, §5.1.1)";
  }
  highest_promised_ = promised;
  if (pushed_.size() < kMaxTracked) pushed_[promised] = Pushed::kReserved;
  return {};
}

std::string PushChecks::check_pushed_stream(const wire::FrameHeader& h) {
  Pushed& p = pushed_[h.stream_id];
  const bool ends = (is(h, FrameType::kData) || is(h, FrameType::kHeaders)) && has_flag(h, wire::flags::kEndStream);
  if (p == Pushed::kReserved) {
    if (is(h, FrameType::kPriority)) return {};
    if (is(h, FrameType::kRstStream)) {
      p = Pushed::kClosed;
      return {};
    }
    if (!is(h, FrameType::kHeaders)) {
      return "the target sent " + wire::frame_type_name(h.type) + " on promised " + stream_text(h.stream_id) +
             " before its HEADERS; in the reserved (local) state a server sends only HEADERS, RST_STREAM or "
             "PRIORITY (RFC 9113 §5.1)";
    }
    p = Pushed::kOpen;
    ++open_pushed_;
    if (our_max_concurrent_ && open_pushed_ > *our_max_concurrent_) {
      return "the target opened pushed " + stream_text(h.stream_id) + ", its " + std::to_string(open_pushed_) +
             "th concurrent stream, above our SETTINGS_MAX_CONCURRENT_STREAMS of " +
             std::to_string(*our_max_concurrent_) + " (RFC 9113 §5.1.2)";
    }
  }
  if (p == Pushed::kOpen && (ends || is(h, FrameType::kRstStream))) {
    p = Pushed::kClosed;
    --open_pushed_;
  }
  return {};
}

std::optional<std::uint64_t> observed_count(const PeerObservations& o, const std::string& name) {
  if (name == "push_promise") return o.push_promises;
  if (name == "padded_data") return o.padded_data;
  if (name == "padded_headers") return o.padded_headers;
  if (name == "padded_push_promise") return o.padded_push_promises;
  return std::nullopt;
}

}  // namespace h2conform::engine
