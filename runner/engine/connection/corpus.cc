// Seeds from one connection's bytes (corpus.h).
#include "runner/engine/connection/corpus.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "runner/engine/connection/session.h"

namespace h2conform::engine {
namespace {

wire::ByteView without_preface(const wire::Bytes& bytes) {
  const wire::ByteView view(bytes.data(), bytes.size());
  if (bytes.size() >= kClientPreface.size() &&
      std::equal(kClientPreface.begin(), kClientPreface.end(), bytes.begin())) {
    return view.subspan(kClientPreface.size());
  }
  return view;
}

// The complete field blocks in a frame stream: a HEADERS or PUSH_PROMISE fragment and the
// fragments of the CONTINUATIONs that follow it, until END_HEADERS. Stops at the first frame
// that does not decode (at the largest frame size, so no well-formed frame is refused).
void collect_blocks(wire::ByteView frames, std::vector<wire::Bytes>* out) {
  const wire::DecodeOptions options{.max_frame_size = wire::kMaxAllowedFrameSize};
  std::optional<wire::Bytes> pending;
  while (!frames.empty()) {
    const wire::DecodeResult r = wire::decode_frame(frames, options);
    if (r.status != wire::DecodeStatus::kComplete) return;
    frames = frames.subspan(r.consumed);
    const bool end_headers = (r.header.flags & wire::flags::kEndHeaders) != 0;
    const wire::Bytes* fragment = nullptr;
    if (const auto* h = std::get_if<wire::HeadersFrame>(&r.frame.payload)) {
      fragment = &h->fragment;
      pending.emplace();
    } else if (const auto* p = std::get_if<wire::PushPromiseFrame>(&r.frame.payload)) {
      fragment = &p->fragment;
      pending.emplace();
    } else if (const auto* c = std::get_if<wire::ContinuationFrame>(&r.frame.payload)) {
      if (!pending) continue;
      fragment = &c->fragment;
    } else {
      pending.reset();
      continue;
    }
    pending->insert(pending->end(), fragment->begin(), fragment->end());
    if (end_headers) {
      if (!pending->empty()) out->push_back(std::move(*pending));
      pending.reset();
    }
  }
}

}  // namespace

CorpusSeeds seeds_from(const ConnectionBytes& bytes) {
  CorpusSeeds seeds;
  for (const wire::Bytes* side : {&bytes.received, &bytes.sent}) {
    const wire::ByteView frames = without_preface(*side);
    if (frames.empty()) continue;
    seeds.frame_streams.emplace_back(frames.begin(), frames.end());
    collect_blocks(frames, &seeds.field_blocks);
  }
  if (!bytes.received.empty()) {
    // fuzzers/session_input.h: bit 0 the target is a client, bit 4 it closes after its bytes;
    // split seed 0 hands them over in one piece.
    const bool client_target = bytes.our_role == Role::kServer;
    const std::uint8_t control = static_cast<std::uint8_t>((client_target ? 1 : 0) | (bytes.peer_closed ? 0x10 : 0));
    seeds.session_input = {control, 0};
    seeds.session_input.insert(seeds.session_input.end(), bytes.received.begin(),
                               bytes.received.begin() + static_cast<std::ptrdiff_t>(
                                   std::min(bytes.received.size(), kMaxCorpusBytes - 2)));
  }
  return seeds;
}

}  // namespace h2conform::engine
