// Internal: the server-side TLS context used by the listener.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runner/transport/tls_util.h"

namespace h2conform::transport::detail {

struct ServerTls {
  SslCtxPtr ctx;
  std::string cert_pem;           // the leaf certificate served, PEM
  std::vector<std::string> alpn;  // ours, in preference order; the select callback reads it
  bool request_certificate_after_handshake = false;
};

// Builds the context: certificate and key from PEM files, or a self-signed pair made in memory
// when both are empty; ALPN selection; the cipher list. Null (with *error) on failure.
// The result must stay at a fixed address (the ALPN callback points into it).
std::unique_ptr<ServerTls> make_server_tls(const TlsServerOptions& options, std::string* error);

}  // namespace h2conform::transport::detail
