// Connection sources for the CLI and for tests (connection_source.h).
//
// Contract: open() returns a connected transport or nullptr with *error set; it never throws
// and never waits past its deadline. The TLS sources insist on ALPN "h2" (RFC 9113 §3.2).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runner/engine/connection/connection_source.h"
#include "runner/transport/transport.h"

namespace h2conform::engine {

// Dials the target over cleartext TCP with prior knowledge (RFC 9113 §3.3).
std::unique_ptr<ConnectionSource> make_tcp_source(transport::Endpoint endpoint);
// Dials the target over TLS with ALPN h2; it offers TlsVariation for TLS-level cases.
std::unique_ptr<ConnectionSource> make_tls_source(transport::Endpoint endpoint,
                                                  transport::TlsClientOptions options);

using ConnectFunction =
    std::function<std::unique_ptr<transport::Connection>(transport::Deadline deadline, std::string* error)>;
// Any source of connections, e.g. transport::sync_connection in tests.
std::unique_ptr<ConnectionSource> make_callback_source(ConnectFunction connect, bool is_tls = false);

// A source that plays the server: it listens on a loopback port and open() returns the next
// peer that connects, before the deadline. Cleartext means prior knowledge (RFC 9113 §3.3): the
// accepted connection starts with the client's preface, which the session reads. Over TLS the
// peer must agree on ALPN h2 (RFC 9113 §3.2) or the connection is closed and open() fails; the
// certificate is self-signed, made in memory (certificate_pem() gives it to a client to trust).
//
// One source is one listener, owned by one case: parallel cases each make their own, on their
// own ephemeral port, and point their own client at port(), so no case can take another's
// connection. open() is not to be called from two threads at once.
class AcceptingSource : public ConnectionSource {
 public:
  virtual std::uint16_t port() const = 0;              // the bound port
  virtual std::string certificate_pem() const = 0;     // empty for cleartext
  // True once a peer is waiting to be accepted, false at the deadline; accepts nothing. Lets a
  // caller wait in short slices (checking whether its client is still alive) and still give
  // open() a whole deadline for the TLS handshake.
  virtual bool wait_for_peer(transport::Deadline deadline) = 0;
};
struct AcceptingOptions {
  std::string host = "127.0.0.1";  // loopback only by default
  std::uint16_t port = 0;          // 0: an ephemeral port (see port())
  bool tls = false;
  // TLS: the certificate and key (PEM text) to serve; both empty: a self-signed certificate
  // made in memory for this listener alone (certificate_pem() gives it).
  std::string cert_pem;
  std::string key_pem;
};
// nullptr with *error when the listener cannot be made (bind failure, TLS context failure).
std::unique_ptr<AcceptingSource> make_accepting_source(const AcceptingOptions& options, std::string* error);

}  // namespace h2conform::engine
