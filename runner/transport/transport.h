// Byte transports: TCP, TLS (OpenSSL, ALPN h2), in-memory.
//
// Contract:
// - Bytes in, bytes out, and deadlines. Nothing here knows HTTP/2.
// - Every blocking call takes an absolute deadline and returns kTimeout when it passes.
// - Errors are values (IoResult); nothing throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace h2conform::transport {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;
using Bytes = std::vector<std::uint8_t>;

enum class IoStatus {
  kOk,       // n bytes moved
  kTimeout,  // the deadline passed first
  kClosed,   // orderly close by the peer (FIN, TLS close_notify)
  kReset,    // TCP RST or equivalent abort
  kError,    // anything else (TLS alert, syscall error); detail says what
};
std::string to_string(IoStatus status);

struct IoResult {
  IoStatus status = IoStatus::kOk;
  std::size_t n = 0;
  std::string detail;  // "connection reset by peer", "TLS alert: handshake failure", ...
  bool ok() const { return status == IoStatus::kOk; }
};

// What a TLS handshake agreed (OpenSSL spellings), and post-handshake messages seen since.
struct TlsInfo {
  std::string version;      // "TLSv1.2", "TLSv1.3"
  std::string cipher;       // "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"
  std::string compression;  // "none", or the method the handshake agreed (RFC 5246 §6.1)
  std::string alpn;         // empty: none
  std::string peer_key;     // the peer certificate's key type: "EC", "RSA", "ED25519", ...; empty: none
  bool renegotiation_pending = false;  // a renegotiation we started has not completed yet
  int renegotiations = 0;              // renegotiations we started that completed
  int hello_requests = 0;              // TLS 1.2 HelloRequest received after the handshake
  int post_handshake_certificate_requests = 0;  // TLS 1.3 CertificateRequest after the handshake
};

// A connected byte stream.
class Connection {
 public:
  virtual ~Connection() = default;
  // Writes all of `data` or fails. kTimeout when the deadline passes with bytes left.
  virtual IoResult write_all(std::span<const std::uint8_t> data, Deadline deadline) = 0;
  // Reads at least one byte into `buf` (up to its size), or fails/times out.
  virtual IoResult read_some(std::span<std::uint8_t> buf, Deadline deadline) = 0;
  // Half-close our sending side (TCP FIN / TLS close_notify).
  virtual void shutdown_write() = 0;
  // Closes at once. Safe to call twice.
  virtual void close() = 0;
  // "tcp 127.0.0.1:8443", "tls 127.0.0.1:8443 TLSv1.3 alpn=h2", "memory".
  virtual std::string describe() const = 0;
  // The ALPN protocol agreed, empty for cleartext or none.
  virtual std::string alpn() const { return {}; }
  // TLS only: what the handshake agreed and what arrived after it (nullopt for cleartext).
  virtual std::optional<TlsInfo> tls_info() const { return std::nullopt; }
  // TLS 1.2 only: starts a client-initiated renegotiation (RFC 5746) and writes its ClientHello
  // within the deadline; the rest of that handshake runs inside later read_some() calls, and
  // tls_info().renegotiation_pending says when it completed. kError when it cannot be started.
  virtual IoResult renegotiate(Deadline deadline) {
    (void)deadline;
    return {IoStatus::kError, 0, "renegotiation needs a TLS 1.2 connection"};
  }
};

struct Endpoint {
  std::string host;  // name, IPv4 or IPv6 literal (with or without brackets)
  std::uint16_t port = 0;
};

struct TlsClientOptions {
  std::string sni;                    // empty: the host name (not sent for IP literals)
  std::vector<std::string> alpn{"h2"};
  bool verify = true;                 // -k turns it off
  std::string ca_file;                // empty: the system store
  std::string ciphers;                // OpenSSL cipher list for TLS <= 1.2 (h2spec's -c)
  std::string ciphersuites;           // TLS 1.3 suites, empty: OpenSSL default
  int min_version = 0;                // 0: OpenSSL default; else TLS1_2_VERSION etc.
  int max_version = 0;
  // Variations for TLS-level cases; the defaults change nothing.
  std::string groups;                 // key exchange groups ("P-256"), empty: OpenSSL default
  bool legacy = false;                // security level 0: TLS 1.0/1.1 and old suites may be offered
  bool post_handshake_auth = false;   // offer TLS 1.3 post_handshake_auth (RFC 8446 §4.2.6)
};

struct ConnectError {
  // "connect 127.0.0.1:1: connection refused", "connect [::1]:9: timed out after 2000 ms",
  // "tls handshake with 127.0.0.1:8443: certificate verify failed: self-signed certificate".
  // One "connect ADDRESS: cause" per address tried, joined by "; ".
  std::string message;
  // TCP connected but the TLS handshake failed or was refused (an alert, a close, a reset): the
  // peer answered, so the cause is its TLS policy, not an unreachable target.
  bool tls_handshake_failed = false;
};

// Resolves and connects (IPv4 and IPv6, every address in turn) within the deadline. Name
// resolution itself (getaddrinfo) cannot be interrupted; the deadline covers the connects.
// TCP_NODELAY is on; writes never raise SIGPIPE.
std::unique_ptr<Connection> connect_tcp(const Endpoint& endpoint, Deadline deadline,
                                        ConnectError* error);
// TCP then a TLS handshake with ALPN within the same deadline. The client never renegotiates on
// the server's request (a HelloRequest is answered with no_renegotiation and counted in tls_info). On the connection, kClosed means
// close_notify or a TCP close without it (the detail says which), kReset a TCP reset, and
// kError a TLS alert ("TLS alert from peer: handshake failure") or another TLS failure.
std::unique_ptr<Connection> connect_tls(const Endpoint& endpoint, const TlsClientOptions& options,
                                        Deadline deadline, ConnectError* error);

// A hand-written TLS 1.2 ClientHello and the server's first answer (ServerHello or alert), for
// offers OpenSSL cannot make as a client, such as TLS compression. Never completes a handshake.
struct HelloProbe {
  std::string sni;                            // empty: the host name (none for IP literals)
  std::vector<std::string> alpn{"h2"};
  std::vector<std::uint16_t> cipher_suites{0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8};  // ECDHE AEAD
  std::vector<std::uint8_t> compression_methods{1, 0};  // DEFLATE (RFC 3749), then null
  std::vector<std::uint16_t> groups{29, 23, 24};        // x25519, secp256r1, secp384r1
};
struct HelloAnswer {
  bool server_hello = false;       // false: an alert, a close or other bytes (see detail)
  std::uint16_t version = 0;       // ServerHello version (0x0303 for TLS 1.2)
  std::uint16_t cipher_suite = 0;
  std::uint8_t compression_method = 0;
  std::string detail;              // "ServerHello", "TLS alert 70 (fatal)", "the connection ended (closed)"
};
// False (with *error) only when TCP cannot connect.
bool probe_server_hello(const Endpoint& endpoint, const HelloProbe& probe, Deadline deadline,
                        HelloAnswer* answer, ConnectError* error);

// Server side, for testing clients.
struct TlsServerOptions {
  std::string cert_file;  // PEM; both empty: a self-signed certificate made in memory
  std::string key_file;
  // The certificate and key as PEM text, used when no files are given (one certificate shared
  // by many listeners, e.g. from make_self_signed_pem).
  std::string cert_pem;
  std::string key_pem;
  std::vector<std::string> alpn{"h2"};  // the first of ours the client offers wins
  std::string ciphers;
  // For tests of TLS-level cases; the defaults change nothing.
  bool rsa_key = false;                 // the generated certificate has an RSA key, not EC P-256
  int min_version = 0;                  // 0: OpenSSL default
  int max_version = 0;
  bool legacy = false;                  // security level 0 (TLS 1.0/1.1 allowed)
  bool allow_client_renegotiation = false;  // OpenSSL 3 refuses it by default
  // A post-handshake CertificateRequest (TLS 1.3) or HelloRequest (TLS 1.2) after each handshake.
  bool request_certificate_after_handshake = false;
  bool reject_sni = false;              // fails any handshake that carries server_name
  std::string groups;                   // key exchange groups, empty: OpenSSL default
};

class Listener {
 public:
  virtual ~Listener() = default;
  // Waits for one client and (for TLS) completes its handshake within the deadline.
  virtual std::unique_ptr<Connection> accept(Deadline deadline, ConnectError* error) = 0;
  virtual std::uint16_t port() const = 0;  // the bound port (useful with port 0)
  // Stops listening. Not to be called while another thread is inside accept().
  virtual void close() = 0;
  // The PEM certificate a TLS listener serves (the generated one when no files were given), so
  // a client can trust it through TlsClientOptions::ca_file. Empty for cleartext.
  virtual std::string certificate_pem() const { return {}; }
  // Waits until a client is waiting to be accepted (true) or the deadline passes (false),
  // accepting nothing, so a caller can wait in slices and still give accept() a whole deadline.
  virtual bool wait_for_client(Deadline deadline) { (void)deadline; return true; }
};

// A self-signed certificate for localhost, 127.0.0.1 and ::1 (EC P-256, 30 days) and its
// private key, as PEM text. False (with *error) on failure.
bool make_self_signed_pem(std::string* cert_pem, std::string* key_pem, std::string* error);

// Binds host:port (port 0 picks a free one). tls == nullptr: cleartext.
std::unique_ptr<Listener> listen(const Endpoint& endpoint, const TlsServerOptions* tls,
                                 ConnectError* error);

// Two connected in-memory ends, thread-safe, with deadlines honoured through a condition
// variable. Closing one end makes the other read kClosed after draining.
// Buffering is unbounded: write_all never blocks, so a test must not let a writer outrun its
// reader without limit. A write after the other end closed returns kClosed; any call after
// this end's own close() returns kError.
std::pair<std::unique_ptr<Connection>, std::unique_ptr<Connection>> memory_pair();

// A single-threaded in-memory connection to a synchronous peer: every write_all hands the bytes
// to `on_bytes`, which may append reply bytes to *reply or set *closed. read_some returns
// queued reply bytes; when none are queued it returns kTimeout at once (or kClosed), and calls
// `on_idle(deadline)` first so a fake clock can jump to the deadline. No threads, no sleeps.
// Once the peer set *closed, queued bytes are still read, then kClosed; write_all returns
// kClosed without calling on_bytes. Either callback may be empty.
struct SyncPeer {
  Bytes initial;  // bytes the peer sends as soon as the connection exists (a server's SETTINGS)
  std::function<void(std::span<const std::uint8_t> bytes, Bytes* reply, bool* closed)> on_bytes;
  std::function<void(Deadline deadline)> on_idle;
};
std::unique_ptr<Connection> sync_connection(SyncPeer peer);

}  // namespace h2conform::transport
