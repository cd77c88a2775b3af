// Where a case's connection comes from, and what a source may offer beyond that.
//
// Contract: a ConnectionSource opens one connection per call, by dialing the target or by
// accepting the next peer that dials us, and returns it or nullptr with *error set; it never
// throws and never waits past the deadline. Per-case TLS handshakes (tls_case.h) need the
// optional TlsVariation capability; a source without it (cleartext, accepting, callback) returns
// nullptr from tls_variation() and such cases are skipped.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "runner/transport/transport.h"

namespace h2conform::engine {

// Making TLS handshakes other than the run's own: TLS-level cases (a case's "tls" field).
class TlsVariation {
 public:
  virtual ~TlsVariation() = default;
  // Connects like the source's open() with a copy of its TLS client options changed by
  // `adjust`, and does not insist on ALPN h2: the case judges what the handshake agreed. On
  // failure it returns nullptr and fills *error; error->tls_handshake_failed tells a refused
  // handshake from an unreachable target.
  virtual std::unique_ptr<transport::Connection> connect_varied_tls(
      const std::function<void(transport::TlsClientOptions*)>& adjust, transport::Deadline deadline,
      transport::ConnectError* error) = 0;
  // A bare ClientHello and the server's first answer (transport::probe_server_hello). False
  // (with *error) when TCP cannot connect.
  virtual bool probe_server_hello(const transport::HelloProbe& probe, transport::Deadline deadline,
                                  transport::HelloAnswer* answer, transport::ConnectError* error) = 0;
};

// Opens the connections of a run: TCP, TLS, accepted from a listener, or in-memory.
class ConnectionSource {
 public:
  virtual ~ConnectionSource() = default;
  virtual std::unique_ptr<transport::Connection> open(transport::Deadline deadline, std::string* error) = 0;
  virtual bool is_tls() const = 0;
  // The TLS variation capability, or nullptr when this source has none (the default).
  virtual TlsVariation* tls_variation() { return nullptr; }
  bool can_vary_tls() { return tls_variation() != nullptr; }
};

}  // namespace h2conform::engine
