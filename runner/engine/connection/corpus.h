// Seeds for the fuzzers from real traffic (`--record-corpus DIR`).
//
// Contract: a Session given a CorpusSink keeps the first kMaxCorpusBytes of what each side sent
// on its connection and hands both to the sink once, when it closes. seeds_from() turns those
// bytes into the inputs of three fuzz targets, as pure data: the frame streams (frame_decoder),
// every complete field block of either side (hpack_decoder), and the target's bytes in the
// session fuzzer's input layout (fuzzers/session_input.h). The sink (the CLI's writes files
// named by content hash) must accept calls from several cases' threads at once.
#pragma once

#include <cstddef>
#include <vector>

#include "runner/engine/connection/connection_state.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

// The fuzz targets read at most 64 KiB; a longer seed would be ignored.
inline constexpr std::size_t kMaxCorpusBytes = 1u << 16;

struct ConnectionBytes {
  Role our_role = Role::kClient;
  wire::Bytes received;  // what the target sent, first kMaxCorpusBytes (a client's preface included)
  wire::Bytes sent;      // what we sent, likewise
  bool peer_closed = false;
};

class CorpusSink {
 public:
  virtual ~CorpusSink() = default;
  virtual void connection_finished(const ConnectionBytes& bytes) = 0;
};

struct CorpusSeeds {
  std::vector<wire::Bytes> frame_streams;  // each side's frames, without the client preface
  std::vector<wire::Bytes> field_blocks;   // HEADERS or PUSH_PROMISE fragment and its CONTINUATIONs
  wire::Bytes session_input;               // control octet, split seed 0, the target's bytes
};

CorpusSeeds seeds_from(const ConnectionBytes& bytes);

}  // namespace h2conform::engine
