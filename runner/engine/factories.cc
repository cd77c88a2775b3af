#include "runner/engine/factories.h"

namespace h2conform::engine {
namespace {

class TcpFactory final : public ConnectionFactory {
 public:
  explicit TcpFactory(transport::Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
  std::unique_ptr<transport::Connection> connect(transport::Deadline deadline, std::string* error) override {
    transport::ConnectError e;
    auto conn = transport::connect_tcp(endpoint_, deadline, &e);
    if (!conn && error != nullptr) *error = e.message;
    return conn;
  }
  bool is_tls() const override { return false; }

 private:
  transport::Endpoint endpoint_;
};

class TlsFactory final : public ConnectionFactory {
 public:
  TlsFactory(transport::Endpoint endpoint, transport::TlsClientOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {}
  std::unique_ptr<transport::Connection> connect(transport::Deadline deadline, std::string* error) override {
    transport::ConnectError e;
    auto conn = transport::connect_tls(endpoint_, options_, deadline, &e);
    if (!conn) {
      if (error != nullptr) *error = e.message;
      return nullptr;
    }
    if (conn->alpn() != "h2") {  // RFC 9113 §3.2: HTTP/2 over TLS is negotiated with ALPN "h2"
      if (error != nullptr) *error = "the server did not select ALPN h2 (got \"" + conn->alpn() + "\")";
      conn->close();
      return nullptr;
    }
    return conn;
  }
  bool is_tls() const override { return true; }
  bool can_vary_tls() const override { return true; }
  std::unique_ptr<transport::Connection> connect_varied_tls(
      const std::function<void(transport::TlsClientOptions*)>& adjust, transport::Deadline deadline,
      transport::ConnectError* error) override {
    transport::TlsClientOptions options = options_;
    if (adjust) adjust(&options);
    transport::ConnectError e;
    auto conn = transport::connect_tls(endpoint_, options, deadline, &e);
    if (!conn && error != nullptr) *error = e;
    return conn;
  }
  bool probe_server_hello(const transport::HelloProbe& probe, transport::Deadline deadline,
                          transport::HelloAnswer* answer, transport::ConnectError* error) override {
    transport::HelloProbe p = probe;
    if (p.sni.empty()) p.sni = options_.sni;
    return transport::probe_server_hello(endpoint_, p, deadline, answer, error);
  }

 private:
  transport::Endpoint endpoint_;
  transport::TlsClientOptions options_;
};

class CallbackFactory final : public ConnectionFactory {
 public:
  CallbackFactory(ConnectFunction connect, bool tls) : connect_(std::move(connect)), tls_(tls) {}
  std::unique_ptr<transport::Connection> connect(transport::Deadline deadline, std::string* error) override {
    std::string message;
    auto conn = connect_ ? connect_(deadline, &message) : nullptr;
    if (!conn && error != nullptr) *error = message.empty() ? "connect failed" : message;
    return conn;
  }
  bool is_tls() const override { return tls_; }

 private:
  ConnectFunction connect_;
  bool tls_;
};

}  // namespace

std::unique_ptr<ConnectionFactory> make_tcp_factory(transport::Endpoint endpoint) {
  return std::make_unique<TcpFactory>(std::move(endpoint));
}

std::unique_ptr<ConnectionFactory> make_tls_factory(transport::Endpoint endpoint,
                                                    transport::TlsClientOptions options) {
  return std::make_unique<TlsFactory>(std::move(endpoint), std::move(options));
}

std::unique_ptr<ConnectionFactory> make_callback_factory(ConnectFunction connect, bool is_tls) {
  return std::make_unique<CallbackFactory>(std::move(connect), is_tls);
}

}  // namespace h2conform::engine
