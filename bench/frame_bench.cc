// Frame decode throughput: a stream of small frames (DATA, HEADERS, PING, WINDOW_UPDATE,
// SETTINGS ACK) fed at once to a wire::FrameReader and pulled out frame by frame.
// Frame receive, side by side with libnghttp2: one response as a server sends it (SETTINGS,
// HEADERS, then small DATA, PING ACK and WINDOW_UPDATE frames) through our FrameReader and
// through nghttp2_session_mem_recv on a client session that has sent the request.
#include <nghttp2/nghttp2.h>

#include <benchmark/benchmark.h>

#include <cstring>

#include "runner/wire/frame.h"

namespace h2conform::bench {
namespace {

using namespace h2conform::wire;

constexpr int kFrames = 1000;

Bytes small_frame_stream() {
  Bytes out;
  for (int i = 0; i < kFrames; ++i) {
    const auto stream = static_cast<std::uint32_t>(1 + 2 * (i % 50));
    Frame f;
    switch (i % 5) {
      case 0: f = Frame{{0, 0x0, 0, false, stream}, DataFrame{Bytes(16, 0x61), std::nullopt}}; break;
      case 1: f = Frame{{0, 0x1, flags::kEndHeaders, false, stream}, HeadersFrame{Bytes(20, 0x82), std::nullopt, std::nullopt}}; break;
      case 2: f = Frame{{0, 0x6, 0, false, 0}, PingFrame{}}; break;
      case 3: f = Frame{{0, 0x8, 0, false, stream}, WindowUpdateFrame{false, 1024}}; break;
      default: f = Frame{{0, 0x4, flags::kAck, false, 0}, SettingsFrame{}}; break;
    }
    append_frame(out, f);
  }
  return out;
}

// Feeds `stream` (kFrames frames) to a fresh FrameReader per iteration and pulls every frame.
void decode_with_reader(benchmark::State& state, const Bytes& stream) {
  std::size_t frames = 0;
  for (auto _ : state) {
    FrameReader reader;
    reader.feed(stream);
    for (;;) {
      const DecodeResult r = reader.next();
      if (r.status == DecodeStatus::kNeedMore) break;
      if (r.status == DecodeStatus::kError) {
        state.SkipWithError(r.error.reason.c_str());
        return;
      }
      ++frames;
    }
  }
  if (frames != static_cast<std::size_t>(kFrames) * state.iterations()) {
    state.SkipWithError("frame count mismatch");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(stream.size() * state.iterations()));
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

void BM_FrameDecode_SmallFrames(benchmark::State& state) { decode_with_reader(state, small_frame_stream()); }

// A server's side of one exchange on stream 1, every frame acceptable to a client: SETTINGS,
// a HEADERS with :status 200, then DATA (16 octets; 4,000 in all, within the initial
// windows), PING ACK and WINDOW_UPDATE on the connection and on the stream, in turn.
Bytes response_frame_stream() {
  Bytes out;
  append_frame(out, Frame{{0, 0x4, 0, false, 0}, SettingsFrame{}});
  append_frame(out, Frame{{0, 0x1, flags::kEndHeaders, false, 1}, HeadersFrame{Bytes{0x88}, std::nullopt, std::nullopt}});
  for (int i = 2; i < kFrames; ++i) {
    Frame f;
    switch (i % 4) {
      case 0: f = Frame{{0, 0x0, 0, false, 1}, DataFrame{Bytes(16, 0x61), std::nullopt}}; break;
      case 1: f = Frame{{0, 0x6, flags::kAck, false, 0}, PingFrame{}}; break;
      case 2: f = Frame{{0, 0x8, 0, false, 0}, WindowUpdateFrame{false, 1}}; break;
      default: f = Frame{{0, 0x8, 0, false, 1}, WindowUpdateFrame{false, 1}}; break;
    }
    append_frame(out, f);
  }
  return out;
}

void BM_FrameReceive_Ours(benchmark::State& state) { decode_with_reader(state, response_frame_stream()); }

int count_frame(nghttp2_session*, const nghttp2_frame*, void* user_data) {
  ++*static_cast<std::size_t*>(user_data);
  return 0;
}

// A client session that has sent its SETTINGS and a GET on stream 1 (outside the timing).
nghttp2_session* client_with_request(nghttp2_session_callbacks* callbacks, std::size_t* frames) {
  nghttp2_session* session = nullptr;
  if (nghttp2_session_client_new(&session, callbacks, frames) != 0) return nullptr;
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, nullptr, 0);
  auto nv = [](const char* name, const char* value) {
    return nghttp2_nv{reinterpret_cast<std::uint8_t*>(const_cast<char*>(name)),
                      reinterpret_cast<std::uint8_t*>(const_cast<char*>(value)), std::strlen(name),
                      std::strlen(value), NGHTTP2_NV_FLAG_NONE};
  };
  const nghttp2_nv request[] = {nv(":method", "GET"), nv(":scheme", "http"), nv(":authority", "bench"),
                                nv(":path", "/")};
  nghttp2_submit_request(session, nullptr, request, 4, nullptr, nullptr);
  const std::uint8_t* out = nullptr;
  for (int i = 0; i < 16 && nghttp2_session_mem_send(session, &out) > 0; ++i) {
  }
  return session;
}

void BM_FrameReceive_Nghttp2(benchmark::State& state) {
  const Bytes stream = response_frame_stream();
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, count_frame);
  std::size_t frames = 0;
  for (auto _ : state) {
    state.PauseTiming();
    nghttp2_session* session = client_with_request(callbacks, &frames);
    state.ResumeTiming();
    const auto n = nghttp2_session_mem_recv(session, stream.data(), stream.size());
    state.PauseTiming();
    nghttp2_session_del(session);
    state.ResumeTiming();
    if (n != static_cast<ssize_t>(stream.size())) {
      state.SkipWithError("nghttp2 did not take the whole stream");
      break;
    }
  }
  nghttp2_session_callbacks_del(callbacks);
  if (frames != static_cast<std::size_t>(kFrames) * state.iterations()) state.SkipWithError("frame count mismatch");
  state.SetBytesProcessed(static_cast<std::int64_t>(stream.size() * state.iterations()));
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

}  // namespace

void register_frame_benchmarks() {
  benchmark::RegisterBenchmark("FrameDecode/small_frames", BM_FrameDecode_SmallFrames);
  benchmark::RegisterBenchmark("FrameReceive/ours", BM_FrameReceive_Ours);
  benchmark::RegisterBenchmark("FrameReceive/nghttp2", BM_FrameReceive_Nghttp2);
}

}  // namespace h2conform::bench
