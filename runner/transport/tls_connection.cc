// The TLS stream shared by both sides: handshake, reads and writes over a non-blocking socket
// with poll() against the deadline, and failures told apart (close_notify, reset, alert).
#include <poll.h>

#include <cerrno>

#include "runner/transport/tls_util.h"

namespace h2conform::transport::detail {

std::string take_ssl_errors() {
  std::string text;
  int kept = 0;
  while (const unsigned long err = ERR_get_error()) {
    if (!ERR_SYSTEM_ERROR(err) && ERR_GET_REASON(err) == ERR_R_SYS_LIB) continue;  // says nothing
    const char* reason = ERR_reason_error_string(err);
    const std::string part = ERR_SYSTEM_ERROR(err) ? errno_text(ERR_GET_REASON(err))
                             : reason != nullptr   ? reason
                                                   : "error " + std::to_string(err);
    if (kept < 3 && text.find(part) == std::string::npos) {
      text += (text.empty() ? "" : "; ") + part;
      ++kept;
    }
  }
  return text.empty() ? "unknown" : text;
}

bool encode_alpn(const std::vector<std::string>& protocols, std::string* wire, std::string* error) {
  wire->clear();
  for (const std::string& p : protocols) {
    if (p.empty() || p.size() > 255) {
      *error = "ALPN protocol name \"" + p + "\" must be 1 to 255 bytes";
      return false;
    }
    wire->push_back(static_cast<char>(p.size()));
    *wire += p;
  }
  return true;
}

TlsConnection::TlsConnection(Fd fd, SslPtr ssl, std::string peer)
    : fd_(std::move(fd)), ssl_(std::move(ssl)), peer_(std::move(peer)) {
  SSL_set_app_data(ssl_.get(), this);
  SSL_set_info_callback(ssl_.get(), &TlsConnection::on_info);
  SSL_set_msg_callback(ssl_.get(), &TlsConnection::on_message);
  SSL_set_msg_callback_arg(ssl_.get(), this);
}

void TlsConnection::on_info(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_READ_ALERT) != SSL_CB_READ_ALERT) return;
  auto* self = static_cast<TlsConnection*>(SSL_get_app_data(ssl));
  if (self == nullptr) return;
  ((ret >> 8) == SSL3_AL_FATAL ? self->alert_received_ : self->warning_received_) =
      SSL_alert_desc_string_long(ret);
}

// Counts handshake messages the peer sends after our handshake completed: HelloRequest (TLS 1.2,
// RFC 5246 §7.4.1.1) and CertificateRequest (TLS 1.3 post-handshake, RFC 8446 §4.6.2).
void TlsConnection::on_message(int write_p, int version, int content_type, const void* buf,
                               std::size_t len, SSL* ssl, void* arg) {
  (void)ssl;
  auto* self = static_cast<TlsConnection*>(arg);
  if (write_p != 0 || content_type != SSL3_RT_HANDSHAKE || len == 0 || self == nullptr ||
      !self->handshake_done_) {
    return;
  }
  constexpr unsigned char kHelloRequest = 0, kCertificateRequest = 13;
  const unsigned char type = static_cast<const unsigned char*>(buf)[0];
  if (type == kHelloRequest && version != TLS1_3_VERSION) ++self->hello_requests_;
  if (type == kCertificateRequest && version == TLS1_3_VERSION)
    ++self->post_handshake_certificate_requests_;
}

std::optional<TlsInfo> TlsConnection::tls_info() const {
  TlsInfo info;
  if (!ssl_) return info;
  info.version = version_;
  info.alpn = alpn_;
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
  info.cipher = cipher != nullptr ? SSL_CIPHER_get_name(cipher) : "";
  const COMP_METHOD* comp = SSL_get_current_compression(ssl_.get());
  info.compression = comp != nullptr ? SSL_COMP_get_name(comp) : "none";
  if (X509* cert = SSL_get0_peer_certificate(ssl_.get())) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    const char* type = key != nullptr ? EVP_PKEY_get0_type_name(key) : nullptr;
    info.peer_key = type != nullptr ? type : "unknown";
  }
  info.renegotiation_pending = SSL_renegotiate_pending(ssl_.get()) != 0;
  info.renegotiations = renegotiations_started_ - (info.renegotiation_pending ? 1 : 0);
  info.hello_requests = hello_requests_;
  info.post_handshake_certificate_requests = post_handshake_certificate_requests_;
  return info;
}

// Only schedules it: OpenSSL writes the ClientHello at the start of the next SSL_read, the one
// path where it also accepts application data that arrives before the ServerHello.
IoResult TlsConnection::renegotiate(Deadline deadline) {
  (void)deadline;
  if (!ssl_) return {IoStatus::kError, 0, "connection closed locally"};
  if (SSL_version(ssl_.get()) != TLS1_2_VERSION)
    return {IoStatus::kError, 0, "renegotiation needs TLS 1.2 (the connection uses " + version_ + ")"};
  ERR_clear_error();
  SSL_clear_options(ssl_.get(), SSL_OP_NO_RENEGOTIATION);
  if (SSL_renegotiate(ssl_.get()) != 1)
    return {IoStatus::kError, 0, "renegotiation refused locally: " + take_ssl_errors()};
  ++renegotiations_started_;
  return {};
}

IoResult TlsConnection::request_client_certificate(Deadline deadline) {
  if (!ssl_) return {IoStatus::kError, 0, "connection closed locally"};
  ERR_clear_error();
  SSL_set_verify(ssl_.get(), SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  const bool tls13 = SSL_version(ssl_.get()) == TLS1_3_VERSION;
  // TLS 1.3: a post-handshake CertificateRequest; TLS 1.2: a HelloRequest (a renegotiation).
  if ((tls13 ? SSL_verify_client_post_handshake(ssl_.get()) : SSL_renegotiate(ssl_.get())) != 1)
    return {IoStatus::kError, 0, "post-handshake certificate request: " + take_ssl_errors()};
  for (;;) {  // writes the CertificateRequest or HelloRequest
    ERR_clear_error();
    const int ret = SSL_do_handshake(ssl_.get());
    if (ret == 1) return {};
    IoResult r = wait_or_fail(ret, deadline);
    if (!r.ok()) return r;
  }
}

IoResult TlsConnection::handshake(Deadline deadline) {
  for (;;) {
    ERR_clear_error();
    const int ret = SSL_do_handshake(ssl_.get());
    if (ret == 1) break;
    IoResult r = wait_or_fail(ret, deadline);
    if (!r.ok()) return r;
  }
  handshake_done_ = true;
  version_ = SSL_get_version(ssl_.get());
  const unsigned char* proto = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl_.get(), &proto, &len);
  if (proto != nullptr) alpn_.assign(reinterpret_cast<const char*>(proto), len);
  return {};
}

IoResult TlsConnection::write_all(std::span<const std::uint8_t> data, Deadline deadline) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    if (!ssl_) return {IoStatus::kError, sent, "connection closed locally"};
    ERR_clear_error();
    std::size_t n = 0;
    const int ret = SSL_write_ex(ssl_.get(), data.data() + sent, data.size() - sent, &n);
    if (ret == 1) {
      sent += n;
      continue;
    }
    IoResult r = wait_or_fail(ret, deadline);
    if (r.status == IoStatus::kTimeout)
      r.detail = std::to_string(data.size() - sent) + " bytes unsent";
    if (!r.ok()) {
      r.n = sent;
      return r;
    }
  }
  return {IoStatus::kOk, sent, {}};
}

IoResult TlsConnection::read_some(std::span<std::uint8_t> buf, Deadline deadline) {
  if (buf.empty()) return {};
  for (;;) {
    if (!ssl_) return {IoStatus::kError, 0, "connection closed locally"};
    ERR_clear_error();
    std::size_t n = 0;
    const int ret = SSL_read_ex(ssl_.get(), buf.data(), buf.size(), &n);
    if (ret == 1) return {IoStatus::kOk, n, {}};
    IoResult r = wait_or_fail(ret, deadline);
    if (r.status == IoStatus::kTimeout) r.detail = "no bytes before the deadline";
    if (!r.ok()) return r;
  }
}

IoResult TlsConnection::wait_or_fail(int ret, Deadline deadline) {
  const int err = SSL_get_error(ssl_.get(), ret);
  if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return failure(err);
  const short events = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
  switch (wait_fd(fd_.get(), events, deadline)) {
    case WaitResult::kReady:
      return {};
    case WaitResult::kTimeout:
      return {IoStatus::kTimeout, 0, "timed out"};
    case WaitResult::kError:
      break;
  }
  return io_error(errno);
}

IoResult TlsConnection::failure(int ssl_error) {
  if (ssl_error == SSL_ERROR_ZERO_RETURN)
    return {IoStatus::kClosed, 0, "TLS close_notify from peer"};
  if (ssl_error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
    const int err = socket_bio_errno(SSL_get_rbio(ssl_.get()));
    if (err != 0) return io_error(err);
    return {IoStatus::kClosed, 0, "connection closed without TLS close_notify"};
  }
  if (ssl_error == SSL_ERROR_SSL || ssl_error == SSL_ERROR_SYSCALL) return protocol_failure();
  ERR_clear_error();
  return {IoStatus::kError, 0, "TLS error (SSL_get_error " + std::to_string(ssl_error) + ")"};
}

// SSL_ERROR_SSL: a reset seen by the BIO, an EOF without close_notify, an alert from the peer,
// a failed certificate check, or a local protocol error, in that order of precedence.
IoResult TlsConnection::protocol_failure() {
  const int sys_err = socket_bio_errno(SSL_get_rbio(ssl_.get()));
  const unsigned long first = ERR_peek_error();
  if (sys_err != 0) {
    ERR_clear_error();
    return io_error(sys_err);
  }
  if (ERR_GET_LIB(first) == ERR_LIB_SSL &&
      ERR_GET_REASON(first) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    ERR_clear_error();
    return {IoStatus::kClosed, 0, "connection closed without TLS close_notify"};
  }
  if (!alert_received_.empty()) {
    ERR_clear_error();
    return {IoStatus::kError, 0, "TLS alert from peer: " + alert_received_};
  }
  if (ERR_GET_LIB(first) == ERR_LIB_SSL && ERR_GET_REASON(first) == SSL_R_NO_RENEGOTIATION) {
    ERR_clear_error();
    return {IoStatus::kError, 0, "TLS alert from peer: " +
                                     (warning_received_.empty() ? std::string("no renegotiation")
                                                                : warning_received_)};
  }
  const bool verifying = (SSL_get_verify_mode(ssl_.get()) & SSL_VERIFY_PEER) != 0;
  const long verify = SSL_get_verify_result(ssl_.get());
  if (verifying && !SSL_is_init_finished(ssl_.get()) && verify != X509_V_OK) {
    ERR_clear_error();
    return {IoStatus::kError, 0,
            std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify)};
  }
  return {IoStatus::kError, 0, "TLS error: " + take_ssl_errors()};
}

// Sends close_notify once. If the socket cannot take it right now it is dropped: the caller
// is about to stop writing anyway, and the peer still sees the TCP close later.
void TlsConnection::shutdown_write() {
  if (!ssl_) return;
  ERR_clear_error();
  SSL_shutdown(ssl_.get());
  ERR_clear_error();
}

void TlsConnection::close() {
  ssl_.reset();
  fd_.reset();
}

std::string TlsConnection::describe() const {
  return "tls " + peer_ + " " + version_ + " alpn=" + (alpn_.empty() ? "none" : alpn_);
}

}  // namespace h2conform::transport::detail
