// HPACK decode and encode over every hpack-test-case story: ours and libnghttp2's side by side.
// Each iteration runs all blocks of all stories, with a fresh context per story.
#include <benchmark/benchmark.h>
#include <nghttp2/nghttp2.h>

#include "bench/stories.h"

namespace h2conform::bench {
namespace {

void set_rates(benchmark::State& state, std::size_t bytes_per_iteration) {
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(bytes_per_iteration));
  state.counters["fields/s"] = benchmark::Counter(
      static_cast<double>(corpus().fields) * static_cast<double>(iterations),
      benchmark::Counter::kIsRate);
}

void BM_HpackDecode_Ours(benchmark::State& state) {
  std::size_t sink = 0;
  auto count = [&sink](std::string_view n, std::string_view v, bool) { sink += n.size() + v.size(); };
  for (auto _ : state) {
    for (const Story& story : corpus().stories) {
      hpack::Decoder decoder;
      for (const StoryCase& c : story.cases) {
        if (c.table_size) decoder.set_protocol_max_table_size(*c.table_size);
        if (decoder.decode_each(c.wire, count)) {
          state.SkipWithError(("decode failed in " + story.name).c_str());
          return;
        }
      }
    }
  }
  benchmark::DoNotOptimize(sink);
  set_rates(state, corpus().wire_bytes);
}

void BM_HpackDecode_OursHeaderList(benchmark::State& state) {
  hpack::HeaderList out;
  for (auto _ : state) {
    for (const Story& story : corpus().stories) {
      hpack::Decoder decoder;
      for (const StoryCase& c : story.cases) {
        if (c.table_size) decoder.set_protocol_max_table_size(*c.table_size);
        out.clear();
        if (decoder.decode(c.wire, &out)) {
          state.SkipWithError(("decode failed in " + story.name).c_str());
          return;
        }
        benchmark::DoNotOptimize(out.data());
      }
    }
  }
  set_rates(state, corpus().wire_bytes);
}

void BM_HpackDecode_Nghttp2(benchmark::State& state) {
  std::size_t sink = 0;
  for (auto _ : state) {
    for (const Story& story : corpus().stories) {
      nghttp2_hd_inflater* inflater = nullptr;
      nghttp2_hd_inflate_new(&inflater);
      for (const StoryCase& c : story.cases) {
        if (c.table_size) nghttp2_hd_inflate_change_table_size(inflater, *c.table_size);
        const std::uint8_t* in = c.wire.data();
        std::size_t left = c.wire.size();
        for (;;) {
          nghttp2_nv nv;
          int flags = 0;
          const auto rv = nghttp2_hd_inflate_hd2(inflater, &nv, &flags, in, left, 1);
          if (rv < 0) {
            state.SkipWithError(("nghttp2 decode failed in " + story.name).c_str());
            nghttp2_hd_inflate_del(inflater);
            return;
          }
          in += rv;
          left -= static_cast<std::size_t>(rv);
          if (flags & NGHTTP2_HD_INFLATE_EMIT) sink += nv.namelen + nv.valuelen;
          if (flags & NGHTTP2_HD_INFLATE_FINAL) break;
        }
        nghttp2_hd_inflate_end_headers(inflater);
      }
      nghttp2_hd_inflate_del(inflater);
    }
  }
  benchmark::DoNotOptimize(sink);
  set_rates(state, corpus().wire_bytes);
}

// Like nghttp2's deflater: Huffman when shorter, no indexing for fields that rarely repeat.
hpack::EncoderOptions like_nghttp2() {
  hpack::EncoderOptions o;
  o.huffman = hpack::HuffmanMode::kAuto;
  o.selective_indexing = true;
  return o;
}

void BM_HpackEncode_Ours(benchmark::State& state) {
  const hpack::EncoderOptions options = like_nghttp2();
  hpack::Bytes out;
  std::size_t produced = 0;
  for (auto _ : state) {
    produced = 0;
    for (const Story& story : corpus().stories) {
      hpack::Encoder encoder;
      for (const StoryCase& c : story.cases) {
        out.clear();
        encoder.encode_into(out, c.headers, options);
        produced += out.size();
      }
    }
  }
  state.counters["wire_bytes"] = static_cast<double>(produced);
  set_rates(state, corpus().header_bytes);
}

std::vector<std::vector<nghttp2_nv>> nghttp2_lists() {
  std::vector<std::vector<nghttp2_nv>> lists;
  for (const Story& story : corpus().stories) {
    for (const StoryCase& c : story.cases) {
      std::vector<nghttp2_nv> nva;
      for (const auto& f : c.headers) {
        nva.push_back(nghttp2_nv{
            const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(f.name.data())),
            const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(f.value.data())),
            f.name.size(), f.value.size(), NGHTTP2_NV_FLAG_NONE});
      }
      lists.push_back(std::move(nva));
    }
  }
  return lists;
}

void BM_HpackEncode_Nghttp2(benchmark::State& state) {
  const auto lists = nghttp2_lists();
  std::vector<std::uint8_t> buf(1 << 20);
  std::size_t produced = 0;
  for (auto _ : state) {
    produced = 0;
    std::size_t k = 0;
    for (const Story& story : corpus().stories) {
      nghttp2_hd_deflater* deflater = nullptr;
      nghttp2_hd_deflate_new(&deflater, hpack::kDefaultTableSize);
      for (std::size_t i = 0; i < story.cases.size(); ++i, ++k) {
        const auto rv = nghttp2_hd_deflate_hd(deflater, buf.data(), buf.size(), lists[k].data(),
                                              lists[k].size());
        if (rv < 0) {
          state.SkipWithError(("nghttp2 encode failed in " + story.name).c_str());
          nghttp2_hd_deflate_del(deflater);
          return;
        }
        produced += static_cast<std::size_t>(rv);
      }
      nghttp2_hd_deflate_del(deflater);
    }
  }
  state.counters["wire_bytes"] = static_cast<double>(produced);
  set_rates(state, corpus().header_bytes);
}

}  // namespace

void register_hpack_benchmarks() {
  benchmark::RegisterBenchmark("HpackDecode/ours", BM_HpackDecode_Ours);
  benchmark::RegisterBenchmark("HpackDecode/nghttp2", BM_HpackDecode_Nghttp2);
  benchmark::RegisterBenchmark("HpackDecode/ours_header_list", BM_HpackDecode_OursHeaderList);
  benchmark::RegisterBenchmark("HpackEncode/ours", BM_HpackEncode_Ours);
  benchmark::RegisterBenchmark("HpackEncode/nghttp2", BM_HpackEncode_Nghttp2);
}

}  // namespace h2conform::bench
