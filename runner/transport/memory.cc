// Two in-memory ends joined by one mutex, one condition variable and a queue per direction.
#include <condition_variable>
#include <deque>
#include <mutex>

#include "runner/transport/transport.h"

namespace h2conform::transport {
namespace {

struct Pipe {
  std::deque<std::uint8_t> bytes;
  bool write_closed = false;  // the writer shut down or closed: drain, then kClosed
};

struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  Pipe pipes[2];  // pipes[i] carries bytes written by end i
  bool end_closed[2] = {false, false};
};

class MemoryEnd final : public Connection {
 public:
  MemoryEnd(std::shared_ptr<Shared> shared, int side) : shared_(std::move(shared)), side_(side) {}
  ~MemoryEnd() override { close(); }

  IoResult write_all(std::span<const std::uint8_t> data, Deadline deadline) override {
    (void)deadline;  // buffering is unbounded: a write never waits
    std::lock_guard<std::mutex> lock(shared_->mutex);
    if (shared_->end_closed[side_]) return {IoStatus::kError, 0, "connection closed locally"};
    Pipe& out = shared_->pipes[side_];
    if (out.write_closed) return {IoStatus::kError, 0, "write after shutdown_write"};
    if (shared_->end_closed[1 - side_]) return {IoStatus::kClosed, 0, "peer closed the connection"};
    out.bytes.insert(out.bytes.end(), data.begin(), data.end());
    shared_->changed.notify_all();
    return {IoStatus::kOk, data.size(), {}};
  }

  IoResult read_some(std::span<std::uint8_t> buf, Deadline deadline) override {
    if (buf.empty()) return {};
    std::unique_lock<std::mutex> lock(shared_->mutex);
    Pipe& in = shared_->pipes[1 - side_];
    const auto ready = [&] {
      return !in.bytes.empty() || in.write_closed || shared_->end_closed[side_];
    };
    if (!shared_->changed.wait_until(lock, deadline, ready)) {
      return {IoStatus::kTimeout, 0, "no bytes before the deadline"};
    }
    if (shared_->end_closed[side_]) return {IoStatus::kError, 0, "connection closed locally"};
    if (in.bytes.empty()) return {IoStatus::kClosed, 0, "peer closed the connection"};
    const std::size_t n = std::min(buf.size(), in.bytes.size());
    std::copy_n(in.bytes.begin(), n, buf.begin());
    in.bytes.erase(in.bytes.begin(), in.bytes.begin() + static_cast<std::ptrdiff_t>(n));
    return {IoStatus::kOk, n, {}};
  }

  void shutdown_write() override {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->pipes[side_].write_closed = true;
    shared_->changed.notify_all();
  }

  void close() override {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->end_closed[side_] = true;
    shared_->pipes[side_].write_closed = true;
    shared_->pipes[1 - side_].bytes.clear();  // nobody will read them
    shared_->changed.notify_all();
  }

  std::string describe() const override { return "memory"; }

 private:
  std::shared_ptr<Shared> shared_;
  int side_;
};

}  // namespace

std::pair<std::unique_ptr<Connection>, std::unique_ptr<Connection>> memory_pair() {
  auto shared = std::make_shared<Shared>();
  return {std::make_unique<MemoryEnd>(shared, 0), std::make_unique<MemoryEnd>(shared, 1)};
}

}  // namespace h2conform::transport
