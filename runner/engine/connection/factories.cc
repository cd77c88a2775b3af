#include "runner/engine/connection/factories.h"

namespace h2conform::engine {
namespace {

class TcpSource final : public ConnectionSource {
 public:
  explicit TcpSource(transport::Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
  std::unique_ptr<transport::Connection> open(transport::Deadline deadline, std::string* error) override {
    transport::ConnectError e;
    auto conn = transport::connect_tcp(endpoint_, deadline, &e);
    if (!conn && error != nullptr) *error = e.message;
    return conn;
  }
  bool is_tls() const override { return false; }

 private:
  transport::Endpoint endpoint_;
};

// RFC 9113 §3.2: HTTP/2 over TLS is negotiated with ALPN "h2". Closes `conn` when it is not.
std::unique_ptr<transport::Connection> require_h2(std::unique_ptr<transport::Connection> conn,
                                                  const std::string& who, std::string* error) {
  if (conn->alpn() == "h2") return conn;
  if (error != nullptr) *error = who + " did not select ALPN h2 (got \"" + conn->alpn() + "\")";
  conn->close();
  return nullptr;
}

class TlsSource final : public ConnectionSource, private TlsVariation {
 public:
  TlsSource(transport::Endpoint endpoint, transport::TlsClientOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {}
  std::unique_ptr<transport::Connection> open(transport::Deadline deadline, std::string* error) override {
    transport::ConnectError e;
    auto conn = transport::connect_tls(endpoint_, options_, deadline, &e);
    if (!conn) {
      if (error != nullptr) *error = e.message;
      return nullptr;
    }
    return require_h2(std::move(conn), "the server", error);
  }
  bool is_tls() const override { return true; }
  TlsVariation* tls_variation() override { return this; }

 private:
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

  transport::Endpoint endpoint_;
  transport::TlsClientOptions options_;
};

class CallbackSource final : public ConnectionSource {
 public:
  CallbackSource(ConnectFunction connect, bool tls) : connect_(std::move(connect)), tls_(tls) {}
  std::unique_ptr<transport::Connection> open(transport::Deadline deadline, std::string* error) override {
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

class ListeningSource final : public AcceptingSource {
 public:
  ListeningSource(std::unique_ptr<transport::Listener> listener, bool tls)
      : listener_(std::move(listener)), tls_(tls) {}
  ~ListeningSource() override { listener_->close(); }
  std::unique_ptr<transport::Connection> open(transport::Deadline deadline, std::string* error) override {
    transport::ConnectError e;
    auto conn = listener_->accept(deadline, &e);
    if (!conn) {
      if (error != nullptr) *error = e.message;
      return nullptr;
    }
    return tls_ ? require_h2(std::move(conn), "the client", error) : std::move(conn);
  }
  bool is_tls() const override { return tls_; }
  std::uint16_t port() const override { return listener_->port(); }
  std::string certificate_pem() const override { return listener_->certificate_pem(); }
  bool wait_for_peer(transport::Deadline deadline) override { return listener_->wait_for_client(deadline); }

 private:
  std::unique_ptr<transport::Listener> listener_;
  bool tls_;
};

}  // namespace

std::unique_ptr<ConnectionSource> make_tcp_source(transport::Endpoint endpoint) {
  return std::make_unique<TcpSource>(std::move(endpoint));
}

std::unique_ptr<ConnectionSource> make_tls_source(transport::Endpoint endpoint,
                                                  transport::TlsClientOptions options) {
  return std::make_unique<TlsSource>(std::move(endpoint), std::move(options));
}

std::unique_ptr<ConnectionSource> make_callback_source(ConnectFunction connect, bool is_tls) {
  return std::make_unique<CallbackSource>(std::move(connect), is_tls);
}

std::unique_ptr<AcceptingSource> make_accepting_source(const AcceptingOptions& options, std::string* error) {
  transport::TlsServerOptions tls;  // no files: a self-signed certificate made in memory
  tls.alpn = {"h2"};
  tls.cert_pem = options.cert_pem;
  tls.key_pem = options.key_pem;
  transport::ConnectError e;
  auto listener = transport::listen({options.host, options.port}, options.tls ? &tls : nullptr, &e);
  if (!listener) {
    if (error != nullptr) *error = e.message;
    return nullptr;
  }
  return std::make_unique<ListeningSource>(std::move(listener), options.tls);
}

}  // namespace h2conform::engine
