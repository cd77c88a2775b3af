// A connection to a synchronous peer: writes call the peer, reads drain what it replied.
#include "runner/transport/transport.h"

namespace h2conform::transport {
namespace {

class SyncConnection final : public Connection {
 public:
  explicit SyncConnection(SyncPeer peer)
      : peer_(std::move(peer)), queued_(std::move(peer_.initial)) {}

  IoResult write_all(std::span<const std::uint8_t> data, Deadline deadline) override {
    (void)deadline;
    if (closed_locally_) return {IoStatus::kError, 0, "connection closed locally"};
    if (write_shut_) return {IoStatus::kError, 0, "write after shutdown_write"};
    if (peer_closed_) return {IoStatus::kClosed, 0, "peer closed the connection"};
    if (peer_.on_bytes && !data.empty()) {
      Bytes reply;
      bool closed = false;
      peer_.on_bytes(data, &reply, &closed);
      queued_.insert(queued_.end(), reply.begin(), reply.end());
      peer_closed_ = peer_closed_ || closed;
    }
    return {IoStatus::kOk, data.size(), {}};
  }

  IoResult read_some(std::span<std::uint8_t> buf, Deadline deadline) override {
    if (buf.empty()) return {};
    if (closed_locally_) return {IoStatus::kError, 0, "connection closed locally"};
    if (offset_ < queued_.size()) {
      const std::size_t n = std::min(buf.size(), queued_.size() - offset_);
      std::copy_n(queued_.begin() + static_cast<std::ptrdiff_t>(offset_), n, buf.begin());
      offset_ += n;
      if (offset_ == queued_.size()) {
        queued_.clear();
        offset_ = 0;
      }
      return {IoStatus::kOk, n, {}};
    }
    if (peer_closed_) return {IoStatus::kClosed, 0, "peer closed the connection"};
    if (peer_.on_idle) peer_.on_idle(deadline);
    return {IoStatus::kTimeout, 0, "no bytes before the deadline"};
  }

  void shutdown_write() override { write_shut_ = true; }
  void close() override {
    closed_locally_ = true;
    queued_.clear();
    offset_ = 0;
  }
  std::string describe() const override { return "memory"; }

 private:
  SyncPeer peer_;
  Bytes queued_;
  std::size_t offset_ = 0;
  bool peer_closed_ = false;
  bool write_shut_ = false;
  bool closed_locally_ = false;
};

}  // namespace

std::unique_ptr<Connection> sync_connection(SyncPeer peer) {
  return std::make_unique<SyncConnection>(std::move(peer));
}

}  // namespace h2conform::transport
