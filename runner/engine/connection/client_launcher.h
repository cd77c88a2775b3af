// Running the client under test once per case (client-testing mode, `h2conform client`).
//
// Contract: the engine plays the server on a per-case loopback listener and asks a
// ClientLauncher to make the client dial it. The CLI's launcher runs a program (`--exec`, with
// placeholders substituted); tests launch an in-process reference client. launch() never
// blocks past starting the client; finish() waits for it to exit until the deadline, then stops
// it (a program: SIGTERM, then SIGKILL, by PID) and says what became of it. Neither throws.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "runner/engine/model/result.h"
#include "runner/transport/transport.h"

namespace h2conform::engine {

// Where the client of one case must connect: the values of the `--exec` placeholders.
struct ClientEndpoint {
  std::string scheme;     // "http" (cleartext, prior knowledge) or "https" (TLS, ALPN h2)
  std::string host;       // "127.0.0.1"
  std::uint16_t port = 0;
  std::string path;       // the case's request path, "/" by default
  std::string authority;  // "127.0.0.1:PORT"
  std::string url;        // scheme://authority + path
  std::string ca_file;    // PEM file of the certificate to trust (TLS), else empty
  std::string case_id;
};

class LaunchedClient {
 public:
  virtual ~LaunchedClient() = default;
  // Waits for the client to end, until `deadline`; then stops it. Called once.
  virtual ClientProcess finish(transport::Deadline deadline) = 0;
  // True once the client has ended by itself, so the engine stops waiting for a connection
  // that cannot come. Cheap; called from the case's thread while finish() has not been called.
  virtual bool ended() { return false; }
};

class ClientLauncher {
 public:
  virtual ~ClientLauncher() = default;
  // Starts the client against `endpoint`. nullptr with *error when it cannot be started.
  virtual std::unique_ptr<LaunchedClient> launch(const ClientEndpoint& endpoint, std::string* error) = 0;
};

}  // namespace h2conform::engine
