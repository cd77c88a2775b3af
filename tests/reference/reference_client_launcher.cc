// The reference client as a ClientLauncher: one thread per launch, dialing the case's listener
// over cleartext TCP, bounded by the client's run limit and by finish()'s deadline.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/reference/reference_client.h"

namespace h2conform::reference {
namespace {

using transport::Clock;
using transport::Deadline;

// Reads wait at most this long at a time, so that finish() can stop the client between reads.
constexpr auto kReadSlice = std::chrono::milliseconds(20);
// After our GOAWAY for an error: how long we read (and drop) before closing, so the server reads
// the GOAWAY before a reset (a close with unread input sends RST).
constexpr auto kCloseLinger = std::chrono::milliseconds(500);

class ReferenceRun final : public engine::LaunchedClient {
 public:
  ReferenceRun(const engine::ClientEndpoint& endpoint, ClientConfig config, ClientFaults faults)
      : endpoint_(endpoint), config_(config), faults_(faults), start_(Clock::now()) {
    thread_ = std::thread([this] { run(); });
  }
  ~ReferenceRun() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  bool ended() override { return done_.load(); }

  engine::ClientProcess finish(Deadline deadline) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, deadline, [this] { return done_.load(); });
    }
    const bool killed = !done_.load();
    stop_ = true;
    thread_.join();
    engine::ClientProcess p;
    p.command = "reference client (in-process) " + endpoint_.url;
    p.started = true;
    p.exited = !killed;
    p.killed = killed;
    p.exit_status = killed ? -1 : exit_status_;
    p.stderr_tail = outcome_;
    p.duration_ms = std::chrono::duration<double, std::milli>(end_ - start_).count();
    return p;
  }

 private:
  void run() {
    const Deadline limit = start_ + config_.run_limit;
    transport::ConnectError error;
    auto conn = transport::connect_tcp({endpoint_.host, endpoint_.port}, limit, &error);
    if (!conn) return done(1, "cannot connect: " + error.message);
    ClientRequest request{endpoint_.scheme, endpoint_.authority, endpoint_.path.empty() ? "/" : endpoint_.path};
    ReferenceClient client(config_, faults_, request);
    conn->write_all(client.start(), limit);
    exchange(*conn, client, limit);
    if (!client.closed()) conn->write_all(client.goodbye(), std::min(limit, Clock::now() + kCloseLinger));
    conn->shutdown_write();
    drain(*conn, std::min(limit, Clock::now() + kCloseLinger));
    conn->close();
    done(client.exit_status(), client.outcome());
  }

  // Until we close on an error, the server closes, the run limit passes or finish() gives up.
  void exchange(transport::Connection& conn, ReferenceClient& client, Deadline limit) {
    transport::Bytes buf(16384);
    while (!client.closed()) {
      if (stop_ || Clock::now() >= limit) return client.on_end("stopped before the exchange ended");
      const transport::IoResult r = conn.read_some(buf, std::min(limit, Clock::now() + kReadSlice));
      if (r.status == transport::IoStatus::kTimeout) continue;
      if (!r.ok()) return client.on_end("the server ended the connection (" + transport::to_string(r.status) + ") before the response");
      transport::Bytes out;
      client.on_bytes({buf.data(), r.n}, &out);
      if (!out.empty()) conn.write_all(out, limit);  // a failed write shows as the next read's close
    }
  }

  void drain(transport::Connection& conn, Deadline until) {
    transport::Bytes buf(16384);
    while (!stop_ && Clock::now() < until) {
      const transport::IoResult r = conn.read_some(buf, std::min(until, Clock::now() + kReadSlice));
      if (!r.ok() && r.status != transport::IoStatus::kTimeout) return;
    }
  }

  void done(int status, std::string outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    exit_status_ = status;
    outcome_ = std::move(outcome);
    end_ = Clock::now();
    done_ = true;
    cv_.notify_all();
  }

  engine::ClientEndpoint endpoint_;
  ClientConfig config_;
  ClientFaults faults_;
  Clock::time_point start_, end_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> done_{false}, stop_{false};
  int exit_status_ = -1;
  std::string outcome_;
};

class ReferenceLauncher final : public engine::ClientLauncher {
 public:
  ReferenceLauncher(ClientConfig config, ClientFaults faults) : config_(config), faults_(faults) {}
  std::unique_ptr<engine::LaunchedClient> launch(const engine::ClientEndpoint& endpoint, std::string* error) override {
    if (endpoint.scheme != "http") {
      *error = "the reference client speaks cleartext HTTP/2 with prior knowledge only, not " + endpoint.scheme;
      return nullptr;
    }
    return std::make_unique<ReferenceRun>(endpoint, config_, faults_);
  }

 private:
  ClientConfig config_;
  ClientFaults faults_;
};

}  // namespace

std::unique_ptr<engine::ClientLauncher> make_reference_launcher(ClientConfig config, ClientFaults faults) {
  return std::make_unique<ReferenceLauncher>(config, faults);
}

}  // namespace h2conform::reference
