// TLS client: context from TlsClientOptions (versions, ciphers, ALPN, verification), then TCP
// and a non-blocking handshake within one deadline.
#include "runner/transport/tls_util.h"

namespace h2conform::transport {
namespace detail {
namespace {

bool set_versions(SSL_CTX* ctx, const TlsClientOptions& o, std::string* error) {
  if (o.min_version != 0 && SSL_CTX_set_min_proto_version(ctx, o.min_version) != 1) {
    *error = "TLS min_version " + std::to_string(o.min_version) + " is not a known version";
    return false;
  }
  if (o.max_version != 0 && SSL_CTX_set_max_proto_version(ctx, o.max_version) != 1) {
    *error = "TLS max_version " + std::to_string(o.max_version) + " is not a known version";
    return false;
  }
  return true;
}

bool set_ciphers(SSL_CTX* ctx, const TlsClientOptions& o, std::string* error) {
  if (!o.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, o.ciphers.c_str()) != 1) {
    *error = "TLS cipher list \"" + o.ciphers + "\": " + take_ssl_errors();
    return false;
  }
  if (!o.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, o.ciphersuites.c_str()) != 1) {
    *error = "TLS 1.3 ciphersuites \"" + o.ciphersuites + "\": " + take_ssl_errors();
    return false;
  }
  if (!o.groups.empty() && SSL_CTX_set1_groups_list(ctx, o.groups.c_str()) != 1) {
    *error = "TLS groups \"" + o.groups + "\": " + take_ssl_errors();
    return false;
  }
  // After the cipher list, whose "@SECLEVEL=n" would set the level too.
  if (o.legacy) SSL_CTX_set_security_level(ctx, 0);
  if (o.post_handshake_auth) SSL_CTX_set_post_handshake_auth(ctx, 1);
  return true;
}

bool set_verification(SSL_CTX* ctx, const TlsClientOptions& o, std::string* error) {
  if (!o.verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return true;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  const bool loaded = o.ca_file.empty()
                          ? SSL_CTX_set_default_verify_paths(ctx) == 1
                          : SSL_CTX_load_verify_locations(ctx, o.ca_file.c_str(), nullptr) == 1;
  if (!loaded) {
    *error = "TLS CA file \"" + (o.ca_file.empty() ? std::string("(system store)") : o.ca_file) +
             "\": " + take_ssl_errors();
  }
  return loaded;
}

SslCtxPtr make_client_context(const TlsClientOptions& o, std::string* error) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    *error = "TLS context: " + take_ssl_errors();
    return nullptr;
  }
  std::string wire;
  if (!set_versions(ctx.get(), o, error) || !set_ciphers(ctx.get(), o, error) ||
      !encode_alpn(o.alpn, &wire, error) || !set_verification(ctx.get(), o, error)) {
    return nullptr;
  }
  // SSL_CTX_set_alpn_protos returns 0 on success.
  if (!wire.empty() &&
      SSL_CTX_set_alpn_protos(ctx.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                              static_cast<unsigned int>(wire.size())) != 0) {
    *error = "TLS ALPN: " + take_ssl_errors();
    return nullptr;
  }
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // A server's HelloRequest is answered with no_renegotiation (RFC 9113 §9.2.1 forbids
  // renegotiating once HTTP/2 runs); Connection::renegotiate() lifts this for its own request.
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION);
  return ctx;
}

// SNI is the explicit option, else the host name; never an IP literal (RFC 6066 §3). The
// certificate is checked against the same name, or against the IP address.
bool set_peer_name(SSL* ssl, const Endpoint& endpoint, const TlsClientOptions& o,
                   std::string* error) {
  const std::string name = o.sni.empty() ? strip_brackets(endpoint.host) : o.sni;
  if ((!o.sni.empty() || !is_ip_literal(name)) &&
      SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) {
    *error = "TLS server name \"" + name + "\": " + take_ssl_errors();
    return false;
  }
  if (!o.verify) return true;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  const bool ok = is_ip_literal(name)
                      ? X509_VERIFY_PARAM_set1_ip_asc(param, strip_brackets(name).c_str()) == 1
                      : X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()) == 1;
  if (!ok) *error = "TLS peer name \"" + name + "\": " + take_ssl_errors();
  return ok;
}

}  // namespace
}  // namespace detail

std::unique_ptr<Connection> connect_tls(const Endpoint& endpoint, const TlsClientOptions& options,
                                        Deadline deadline, ConnectError* error) {
  using namespace detail;
  const long long budget_ms = millis_between(Clock::now(), deadline);
  std::string why;
  SslCtxPtr ctx = make_client_context(options, &why);
  if (!ctx) return fail<Connection>(error, why);
  SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl) return fail<Connection>(error, "TLS session: " + take_ssl_errors());
  if (!set_peer_name(ssl.get(), endpoint, options, &why)) return fail<Connection>(error, why);

  std::string peer;
  Fd fd = dial(endpoint, deadline, &peer, &why);
  if (!fd.valid()) return fail<Connection>(error, why);
  BIO* bio = new_socket_bio(fd.get());
  if (bio == nullptr) return fail<Connection>(error, "TLS socket BIO: out of memory");
  SSL_set_bio(ssl.get(), bio, bio);
  SSL_set_connect_state(ssl.get());

  auto conn = std::make_unique<TlsConnection>(std::move(fd), std::move(ssl), peer);
  IoResult r = conn->handshake(deadline);
  if (r.status == IoStatus::kTimeout)
    r.detail = "timed out after " + std::to_string(budget_ms) + " ms";
  if (!r.ok()) {
    if (error != nullptr) error->tls_handshake_failed = true;
    return fail<Connection>(error, "tls handshake with " + peer + ": " + r.detail);
  }
  return conn;
}

}  // namespace h2conform::transport
