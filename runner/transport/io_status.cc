#include "runner/transport/transport.h"

namespace h2conform::transport {

std::string to_string(IoStatus status) {
  switch (status) {
    case IoStatus::kOk:
      return "ok";
    case IoStatus::kTimeout:
      return "timeout";
    case IoStatus::kClosed:
      return "closed";
    case IoStatus::kReset:
      return "reset";
    case IoStatus::kError:
      return "error";
  }
  return "unknown";
}

}  // namespace h2conform::transport
