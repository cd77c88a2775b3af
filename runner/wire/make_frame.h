// Building a frame model from its payload: the type comes from the payload alternative
// (frame_types.h), so a frame can never say one type and carry another.
#pragma once

#include <cstdint>
#include <utility>

#include "runner/wire/frame.h"

namespace h2conform::wire {

inline Frame make_frame(Payload payload, std::uint32_t stream = 0, std::uint8_t flags = 0) {
  Frame f;
  f.header.stream_id = stream;
  f.header.flags = flags;
  f.payload = std::move(payload);
  f.header.type = payload_type(f);
  return f;
}

}  // namespace h2conform::wire
