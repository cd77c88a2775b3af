#include "runner/transport/tls_cert.h"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace h2conform::transport::detail {
namespace {

constexpr long kValidBeforeNowSeconds = 3600;
constexpr long kValidDays = 30;

bool set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7f;  // a positive serial number (RFC 5280 §4.1.2.2)
  BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
  const bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  return ok;
}

bool set_subject_and_validity(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  const auto* cn = reinterpret_cast<const unsigned char*>("localhost");
  return X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) == 1 &&
         X509_set_issuer_name(cert, name) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(cert), -kValidBeforeNowSeconds) != nullptr &&
         X509_time_adj_ex(X509_getm_notAfter(cert), kValidDays, 0, nullptr) != nullptr;
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

}  // namespace

bool make_self_signed(SelfSigned* out, std::string* error, bool rsa) {
  ERR_clear_error();
  constexpr unsigned int kRsaBits = 2048;
  EvpPkeyPtr key(rsa ? EVP_RSA_gen(kRsaBits) : EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  const bool ok =
      key && cert && X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
      set_random_serial(cert.get()) && set_subject_and_validity(cert.get()) &&
      X509_set_pubkey(cert.get(), key.get()) == 1 &&
      add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") &&
      add_extension(cert.get(), NID_subject_key_identifier, "hash") &&
      X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) {
    *error = "self-signed certificate: " + take_ssl_errors();
    return false;
  }
  out->key = std::move(key);
  out->cert = std::move(cert);
  return true;
}

std::string certificate_to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || cert == nullptr || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  return bio_text(bio.get());
}

std::string private_key_to_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || key == nullptr) return {};
  if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  return bio_text(bio.get());
}

}  // namespace h2conform::transport::detail

namespace h2conform::transport {

bool make_self_signed_pem(std::string* cert_pem, std::string* key_pem, std::string* error) {
  detail::SelfSigned pair;
  if (!detail::make_self_signed(&pair, error)) return false;
  *cert_pem = detail::certificate_to_pem(pair.cert.get());
  *key_pem = detail::private_key_to_pem(pair.key.get());
  if (cert_pem->empty() || key_pem->empty()) {
    *error = "self-signed certificate: PEM conversion: " + detail::take_ssl_errors();
    return false;
  }
  return true;
}

}  // namespace h2conform::transport
