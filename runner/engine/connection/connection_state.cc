// The connection model: our side (frames we send), settings and windows.
// The target's frames are handled in peer_frames.cc.
#include "runner/engine/connection/connection_state.h"

#include <algorithm>

#include "runner/engine/model/case_model.h"

namespace h2conform::engine {
namespace {

constexpr std::size_t kMaxStreams = 200000;

hpack::DecoderLimits decoder_limits() {
  hpack::DecoderLimits limits;
  limits.max_header_list_size = 1 << 20;
  limits.max_string_length = 1 << 18;
  limits.max_fields = 10000;
  return limits;
}

std::size_t flow_controlled_size(const wire::DataFrame& data) {
  return data.data.size() + (data.padding ? 1 + data.padding->padding.size() : 0);
}

}  // namespace

RoleTraits traits_for(Role role) {
  RoleTraits t;  // playing the client against a server
  if (role == Role::kServer) {
    t.first_stream_id = 2;
    t.writes_client_preface = false;
    t.reads_client_preface = true;
    t.peer_stream_parity = 1;
    t.peer_may_enable_push = true;
    t.judges_server_messages = false;
    t.peer_leaves_when_done = true;
  }
  return t;
}

Role our_role_for_target(const std::string& target_role) {
  return target_role == kTargetClient ? Role::kServer : Role::kClient;
}

ConnectionState::ConnectionState(Role our_role)
    : role_(our_role), traits_(traits_for(our_role)), next_stream_(traits_.first_stream_id),
      decoder_(decoder_limits()) {}

wire::DecodeOptions ConnectionState::decode_options() const {
  // Until the target acknowledges a new SETTINGS_MAX_FRAME_SIZE it may use either value.
  std::uint32_t limit = our_max_frame_size_;
  for (const auto& settings : pending_settings_) {
    for (const auto& s : settings) {
      if (s.id == static_cast<std::uint16_t>(wire::SettingId::kMaxFrameSize)) {
        limit = std::max(limit, std::min(s.value, wire::kMaxAllowedFrameSize));
      }
    }
  }
  wire::DecodeOptions options;
  options.max_frame_size = limit;
  return options;
}

const StreamInfo* ConnectionState::stream(std::uint32_t id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

bool ConnectionState::peer_streams_done() const {
  bool any = false;
  for (const auto& [id, info] : streams_) {
    if (!traits_.peer_may_open(id)) continue;
    if (info.state != StreamState::kClosed) return false;
    any = true;
  }
  return any;
}

StreamInfo& ConnectionState::stream_entry(std::uint32_t id) {
  auto it = streams_.find(id);
  if (it != streams_.end()) return it->second;
  if (streams_.size() >= kMaxStreams) {
    std::erase_if(streams_, [](const auto& kv) { return kv.second.state == StreamState::kClosed; });
  }
  StreamInfo info;
  info.send_window = peer_setting(static_cast<std::uint16_t>(wire::SettingId::kInitialWindowSize))
                         .value_or(kDefaultWindow);
  info.recv_window = our_initial_window_;
  return streams_.emplace(id, info).first->second;
}

std::uint32_t ConnectionState::take_next_stream() {
  std::uint32_t id = next_stream_;
  next_stream_ += 2;
  if (stream_history_.size() < kMaxStreamHistory) stream_history_.push_back(id);
  return id;
}

std::uint32_t ConnectionState::take_engine_stream() {
  std::uint32_t id = next_stream_;
  next_stream_ += 2;
  return id;
}

void ConnectionState::note_request(std::uint32_t stream_id, std::string method, bool varies) {
  StreamInfo& s = stream_entry(stream_id);
  if (!s.request_method.empty()) {  // a second block: trailers
    s.request_varies = true;
    return;
  }
  s.request_method = std::move(method);
  s.request_varies = varies;
}

bool ConnectionState::response_left_open(std::uint32_t stream_id) const {
  const StreamInfo* s = stream(stream_id);
  return s != nullptr && s->final_response_sent && s->state == StreamState::kHalfClosedRemote && !s->we_reset &&
         !s->peer_reset;
}

std::optional<std::uint32_t> ConnectionState::nth_stream(std::uint64_t n) const {
  if (n == 0 || n > stream_history_.size()) return std::nullopt;
  return stream_history_[n - 1];
}

std::optional<std::uint32_t> ConnectionState::peer_setting(std::uint16_t id) const {
  auto it = peer_settings_.find(id);
  if (it != peer_settings_.end()) return it->second;
  using wire::SettingId;
  switch (static_cast<SettingId>(id)) {  // RFC 9113 §6.5.2 initial values
    case SettingId::kHeaderTableSize: return 4096;
    case SettingId::kEnablePush: return 1;
    case SettingId::kInitialWindowSize: return kDefaultWindow;
    case SettingId::kMaxFrameSize: return wire::kDefaultMaxFrameSize;
    case SettingId::kEnableConnectProtocol: return 0;  // RFC 8441 §3
    case SettingId::kNoRfc7540Priorities: return 0;    // RFC 9218 §2.1
    default: return std::nullopt;  // MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE: unbounded
  }
}

std::int64_t ConnectionState::stream_window() const {
  if (const StreamInfo* s = stream(last_stream_)) return s->send_window;
  return peer_setting(static_cast<std::uint16_t>(wire::SettingId::kInitialWindowSize)).value_or(kDefaultWindow);
}

// Our SETTINGS take effect when the target acknowledges them (RFC 9113 §6.5.3).
void ConnectionState::apply_our_settings(const std::vector<wire::Setting>& settings) {
  using wire::SettingId;
  for (const auto& s : settings) {
    switch (static_cast<SettingId>(s.id)) {
      case SettingId::kHeaderTableSize: decoder_.set_protocol_max_table_size(s.value); break;
      case SettingId::kMaxFrameSize:
        our_max_frame_size_ = std::clamp(s.value, wire::kDefaultMaxFrameSize, wire::kMaxAllowedFrameSize);
        break;
      case SettingId::kInitialWindowSize: {  // RFC 9113 §6.9.2
        std::int64_t delta = static_cast<std::int64_t>(s.value) - our_initial_window_;
        for (auto& [id, info] : streams_) {
          info.recv_window += delta;
          if (!info.request_ended) continue;
          info.granted_since_our_last_frame += delta;
          if (delta < 0) info.window_shrunk = true;
        }
        our_initial_window_ = s.value;
        break;
      }
      default: break;
    }
  }
}

void ConnectionState::on_send_failed(const wire::Frame& frame, std::uint8_t flags) {
  if (std::holds_alternative<wire::SettingsFrame>(frame.payload) && (flags & wire::flags::kAck) == 0) {
    ++settings_sent_;
  }
}

void ConnectionState::on_sent(const wire::Frame& frame, std::uint8_t flags) {
  const std::uint32_t id = frame.header.stream_id;
  const bool end_stream = (flags & wire::flags::kEndStream) != 0;
  last_frame_stream_ = id;
  if (id != 0 && !std::holds_alternative<wire::WindowUpdateFrame>(frame.payload) &&
      !std::holds_alternative<wire::PriorityFrame>(frame.payload)) {
    stream_entry(id).granted_since_our_last_frame = 0;
  }
  if (std::holds_alternative<wire::HeadersFrame>(frame.payload) ||
      std::holds_alternative<wire::PushPromiseFrame>(frame.payload) ||
      std::holds_alternative<wire::ContinuationFrame>(frame.payload)) {
    probe_safe_ = (flags & wire::flags::kEndHeaders) != 0;
  }
  if (const auto* headers = std::get_if<wire::HeadersFrame>(&frame.payload)) {
    (void)headers;
    StreamInfo& s = stream_entry(id);
    s.request_in_one_block = s.state == StreamState::kIdle && end_stream;
    s.state = after_send_headers(s.state);
    if (end_stream) {
      s.state = after_send_end_stream(s.state);
      s.request_ended = true;
    }
    last_stream_ = id;
  } else if (const auto* data = std::get_if<wire::DataFrame>(&frame.payload)) {
    auto size = static_cast<std::int64_t>(flow_controlled_size(*data));
    conn_send_window_ -= size;
    StreamInfo& s = stream_entry(id);
    s.send_window -= size;
    s.request_in_one_block = false;
    if (end_stream) {
      s.state = after_send_end_stream(s.state);
      s.request_ended = true;
    }
  } else if (const auto* push = std::get_if<wire::PushPromiseFrame>(&frame.payload)) {
    StreamInfo& s = stream_entry(push->promised_stream_id);
    s.state = after_send_push_promise(s.state);
  } else if (std::holds_alternative<wire::RstStreamFrame>(frame.payload)) {
    StreamInfo& s = stream_entry(id);
    s.state = after_rst_stream(s.state);
    s.we_reset = true;
    s.request_in_one_block = false;
  } else if (const auto* settings = std::get_if<wire::SettingsFrame>(&frame.payload)) {
    if ((flags & wire::flags::kAck) == 0) {
      pending_settings_.push_back(settings->settings);
      ++settings_sent_;
    }
  } else if (const auto* wu = std::get_if<wire::WindowUpdateFrame>(&frame.payload)) {
    if (id == 0) {
      conn_recv_window_ += wu->increment;
    } else {
      StreamInfo& s = stream_entry(id);
      s.recv_window += wu->increment;
      s.granted_since_our_last_frame += wu->increment;
    }
  }
}

}  // namespace h2conform::engine
