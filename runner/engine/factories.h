// Connection factories for the CLI and for tests.
//
// Contract: connect() returns a connected transport or nullptr with *error set; it never
// throws. The TLS factory insists on ALPN "h2" (RFC 9113 §3.2).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "runner/engine/engine.h"
#include "runner/transport/transport.h"

namespace h2conform::engine {

// Cleartext TCP with prior knowledge (RFC 9113 §3.3).
std::unique_ptr<ConnectionFactory> make_tcp_factory(transport::Endpoint endpoint);
// TLS with ALPN h2; it can vary its TLS options for TLS-level cases (connect_varied_tls).
std::unique_ptr<ConnectionFactory> make_tls_factory(transport::Endpoint endpoint,
                                                    transport::TlsClientOptions options);

using ConnectFunction =
    std::function<std::unique_ptr<transport::Connection>(transport::Deadline deadline, std::string* error)>;
// Any source of connections, e.g. transport::sync_connection in tests.
std::unique_ptr<ConnectionFactory> make_callback_factory(ConnectFunction connect, bool is_tls = false);

}  // namespace h2conform::engine
