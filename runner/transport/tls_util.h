// Internal OpenSSL helpers: RAII owners, error-queue text, the MSG_NOSIGNAL socket BIO, and the
// TLS connection shared by the client and the server side. Not part of the API.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "runner/transport/socket_util.h"

namespace h2conform::transport::detail {

template <auto Free>
struct OpenSslFree {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, OpenSslFree<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, OpenSslFree<SSL_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO_free_all>>;

// Empties this thread's OpenSSL error queue into "reason; reason" ("unknown" if it was empty).
std::string take_ssl_errors();

// A BIO over a connected non-blocking socket that it does not own. Writes use MSG_NOSIGNAL,
// so a dead peer never raises SIGPIPE. Returns nullptr on allocation failure.
BIO* new_socket_bio(int fd);
// The errno of the BIO's last failed recv()/send(), 0 if none.
int socket_bio_errno(BIO* bio);

// "h2", "http/1.1" -> ALPN wire format. False (with *error) for an empty or >255-byte name.
bool encode_alpn(const std::vector<std::string>& protocols, std::string* wire, std::string* error);

// A TLS stream over a socket. The SSL must already be in connect or accept state; handshake()
// must succeed before the Connection methods are used.
class TlsConnection final : public Connection {
 public:
  TlsConnection(Fd fd, SslPtr ssl, std::string peer);
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  // Drives the handshake until done, failed, or past the deadline (kTimeout, detail "timed out").
  IoResult handshake(Deadline deadline);

  IoResult write_all(std::span<const std::uint8_t> data, Deadline deadline) override;
  IoResult read_some(std::span<std::uint8_t> buf, Deadline deadline) override;
  void shutdown_write() override;
  void close() override;
  std::string describe() const override;
  std::string alpn() const override { return alpn_; }
  std::optional<TlsInfo> tls_info() const override;
  IoResult renegotiate(Deadline deadline) override;

  const std::string& peer() const { return peer_; }
  // Server side: sends a post-handshake CertificateRequest (TLS 1.3) or a HelloRequest (TLS 1.2),
  // for tests of clients that must notice one. kError when TLS 1.3 and the client did not offer
  // post_handshake_auth.
  IoResult request_client_certificate(Deadline deadline);

 private:
  // Waits for what SSL_get_error() asked for; returns kOk to retry, or the failure.
  IoResult wait_or_fail(int ret, Deadline deadline);
  IoResult failure(int ssl_error);
  IoResult protocol_failure();
  static void on_info(const SSL* ssl, int where, int ret);
  static void on_message(int write_p, int version, int content_type, const void* buf,
                         std::size_t len, SSL* ssl, void* arg);

  Fd fd_;
  SslPtr ssl_;
  std::string peer_;
  std::string version_;
  std::string alpn_;
  std::string alert_received_;  // the last fatal alert from the peer, long form
  std::string warning_received_;  // the last warning alert (e.g. no_renegotiation), long form
  bool handshake_done_ = false;
  int renegotiations_started_ = 0;
  int hello_requests_ = 0;
  int post_handshake_certificate_requests_ = 0;
};

}  // namespace h2conform::transport::detail
