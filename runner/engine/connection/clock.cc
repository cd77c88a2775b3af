#include "runner/engine/connection/clock.h"

namespace h2conform::engine {
namespace {

class RealClock final : public Clock {
 public:
  transport::Clock::time_point now() override { return transport::Clock::now(); }
};

}  // namespace

Clock& real_clock() {
  static RealClock clock;
  return clock;
}

}  // namespace h2conform::engine
