// The engine's clock: every deadline is computed from it, so tests can replace it.
#pragma once

#include "runner/transport/transport.h"

namespace h2conform::engine {

// The engine's notion of time; tests inject a fake that jumps to deadlines.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual transport::Clock::time_point now() = 0;
};
Clock& real_clock();

}  // namespace h2conform::engine
