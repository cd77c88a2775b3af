// Frame decode throughput: a stream of small frames (DATA, HEADERS, PING, WINDOW_UPDATE,
// SETTINGS ACK) fed at once to a wire::FrameReader and pulled out frame by frame.
#include <benchmark/benchmark.h>

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

void BM_FrameDecode_SmallFrames(benchmark::State& state) {
  const Bytes stream = small_frame_stream();
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

}  // namespace

void register_frame_benchmarks() {
  benchmark::RegisterBenchmark("FrameDecode/small_frames", BM_FrameDecode_SmallFrames);
}

}  // namespace h2conform::bench
