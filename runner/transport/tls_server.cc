// Server-side TLS context: certificate (from files or self-signed), ALPN selection, ciphers.
#include "runner/transport/tls_server.h"

#include <openssl/pem.h>

#include "runner/transport/tls_cert.h"

namespace h2conform::transport::detail {
namespace {

// Picks the first of our protocols that the client offered (server preference, RFC 7301 §3.2).
// Without a match the handshake goes on without ALPN, so clients lacking h2 can be tested.
int select_alpn(SSL* ssl, const unsigned char** out, unsigned char* out_len,
                const unsigned char* in, unsigned int in_len, void* arg) {
  (void)ssl;
  const auto* ours = static_cast<const std::vector<std::string>*>(arg);
  for (const std::string& want : *ours) {
    for (unsigned int i = 0; i < in_len;) {
      const unsigned int len = in[i];
      if (i + 1 + len > in_len) break;
      if (len == want.size() &&
          want.compare(0, len, reinterpret_cast<const char*>(in + i + 1), len) == 0) {
        *out = in + i + 1;
        *out_len = static_cast<unsigned char>(len);
        return SSL_TLSEXT_ERR_OK;
      }
      i += 1 + len;
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

bool use_self_signed(SSL_CTX* ctx, bool rsa, std::string* error) {
  SelfSigned pair;
  if (!make_self_signed(&pair, error, rsa)) return false;
  if (SSL_CTX_use_certificate(ctx, pair.cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, pair.key.get()) != 1) {
    *error = "TLS self-signed certificate: " + take_ssl_errors();
    return false;
  }
  return true;
}

bool use_pem(SSL_CTX* ctx, const TlsServerOptions& o, std::string* error) {
  BioPtr cert_bio(BIO_new_mem_buf(o.cert_pem.data(), static_cast<int>(o.cert_pem.size())));
  BioPtr key_bio(BIO_new_mem_buf(o.key_pem.data(), static_cast<int>(o.key_pem.size())));
  X509Ptr cert(cert_bio ? PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr) : nullptr);
  EvpPkeyPtr key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert || !key || SSL_CTX_use_certificate(ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    *error = "TLS certificate and key (PEM): " + take_ssl_errors();
    return false;
  }
  return true;
}

bool use_files(SSL_CTX* ctx, const TlsServerOptions& o, std::string* error) {
  if (o.cert_file.empty() || o.key_file.empty()) {
    *error = "TLS server needs both cert_file and key_file (or neither, for a self-signed one)";
    return false;
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, o.cert_file.c_str()) != 1) {
    *error = "TLS certificate file \"" + o.cert_file + "\": " + take_ssl_errors();
    return false;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, o.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    *error = "TLS key file \"" + o.key_file + "\": " + take_ssl_errors();
    return false;
  }
  return true;
}

// reject_sni: a server that cannot handle server_name, for tests of RFC 9113 §9.2.
int refuse_server_name(SSL* ssl, int* alert, void* arg) {
  (void)arg;
  if (SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) == nullptr) return SSL_TLSEXT_ERR_OK;
  *alert = SSL_AD_UNRECOGNIZED_NAME;
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

// The test-only variations of TlsServerOptions.
bool apply_variations(SSL_CTX* ctx, const TlsServerOptions& o, std::string* error) {
  if ((o.min_version != 0 && SSL_CTX_set_min_proto_version(ctx, o.min_version) != 1) ||
      (o.max_version != 0 && SSL_CTX_set_max_proto_version(ctx, o.max_version) != 1)) {
    *error = "TLS server version range: " + take_ssl_errors();
    return false;
  }
  if (o.legacy) SSL_CTX_set_security_level(ctx, 0);
  if (o.allow_client_renegotiation) SSL_CTX_set_options(ctx, SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
  if (o.reject_sni) SSL_CTX_set_tlsext_servername_callback(ctx, refuse_server_name);
  if (!o.groups.empty() && SSL_CTX_set1_groups_list(ctx, o.groups.c_str()) != 1) {
    *error = "TLS server groups \"" + o.groups + "\": " + take_ssl_errors();
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<ServerTls> make_server_tls(const TlsServerOptions& options, std::string* error) {
  ERR_clear_error();
  auto tls = std::make_unique<ServerTls>();
  tls->ctx.reset(SSL_CTX_new(TLS_server_method()));
  if (!tls->ctx) {
    *error = "TLS context: " + take_ssl_errors();
    return nullptr;
  }
  SSL_CTX* ctx = tls->ctx.get();
  const bool no_files = options.cert_file.empty() && options.key_file.empty();
  const bool pem = no_files && !options.cert_pem.empty();
  if (!(pem        ? use_pem(ctx, options, error)
        : no_files ? use_self_signed(ctx, options.rsa_key, error)
                   : use_files(ctx, options, error)))
    return nullptr;
  if (!options.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, options.ciphers.c_str()) != 1) {
    *error = "TLS cipher list \"" + options.ciphers + "\": " + take_ssl_errors();
    return nullptr;
  }
  if (!apply_variations(ctx, options, error)) return nullptr;
  tls->request_certificate_after_handshake = options.request_certificate_after_handshake;
  std::string wire;
  if (!encode_alpn(options.alpn, &wire, error)) return nullptr;
  tls->alpn = options.alpn;
  if (!tls->alpn.empty()) SSL_CTX_set_alpn_select_cb(ctx, select_alpn, &tls->alpn);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  tls->cert_pem = certificate_to_pem(SSL_CTX_get0_certificate(ctx));
  return tls;
}

}  // namespace h2conform::transport::detail
