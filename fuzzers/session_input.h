// The session fuzzer's input layout, shared by the target and its structure-aware mutator.
//
//   octet 0   control: bit 0 the target is a client (the engine plays the server), bits 1-3 the
//             script within that role, bit 4 the peer closes once all its bytes are read
//   octet 1   split seed: 0 delivers the peer's bytes in one piece, available at once; any other
//             value cuts them into pieces of 1 to 1024 octets, about one in four held back until we write
//   octets 2- the peer's bytes, as a target would send them (a client target starts with the
//             24-octet connection preface)
//
// A shorter input means zeros for the missing octets. Pure functions, no I/O.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzzers/fuzz_check.h"

namespace h2conform::fuzz {

inline constexpr std::size_t kSessionHeaderSize = 2;

struct SessionInput {
  bool client_target = false;
  unsigned variant = 0;
  bool close_at_end = false;
  std::uint8_t split_seed = 0;
  std::span<const std::uint8_t> peer_bytes;
};

inline SessionInput parse_session_input(std::span<const std::uint8_t> data) {
  SessionInput in;
  const std::uint8_t control = data.empty() ? 0 : data[0];
  in.client_target = (control & 1) != 0;
  in.variant = (control >> 1) & 7;
  in.close_at_end = (control & 0x10) != 0;
  in.split_seed = data.size() < 2 ? 0 : data[1];
  in.peer_bytes = data.size() <= kSessionHeaderSize ? std::span<const std::uint8_t>() : data.subspan(kSessionHeaderSize);
  return in;
}

struct SessionPiece {
  std::vector<std::uint8_t> bytes;
  bool after_write = false;  // held back until we write something (or a read times out)
};

// The peer's bytes in the pieces the split seed chooses; together they are exactly peer_bytes.
inline std::vector<SessionPiece> split_session_bytes(const SessionInput& in) {
  std::vector<SessionPiece> out;
  const auto bytes = in.peer_bytes;
  if (in.split_seed == 0) {
    out.push_back({{bytes.begin(), bytes.end()}, false});
    return out;
  }
  SplitMix rng{in.split_seed};
  static constexpr std::size_t kScales[] = {8, 64, 1024};
  for (std::size_t pos = 0; pos < bytes.size();) {
    const std::uint64_t r = rng.next();
    const std::size_t n = std::min<std::size_t>(bytes.size() - pos, 1 + (r >> 8) % kScales[r % 3]);
    out.push_back({{bytes.begin() + static_cast<std::ptrdiff_t>(pos), bytes.begin() + static_cast<std::ptrdiff_t>(pos + n)},
                   ((r >> 4) & 3) == 0});
    pos += n;
  }
  return out;
}

}  // namespace h2conform::fuzz
